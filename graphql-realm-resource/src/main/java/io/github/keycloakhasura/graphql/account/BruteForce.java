package io.github.keycloakhasura.graphql.account;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.BruteForceProtector;

import java.util.Set;

/**
 * A credential the caller types again (old password, OTP code) is one login attempt for Keycloak's brute-force
 * detection: refused unchecked while the user is locked, a wrong one recorded as a failure of its category
 * ({@code password} or {@code otp}), a right one as a success, as the login flows do.
 */
final class BruteForce {

    private BruteForce() {
    }

    static boolean locked(KeycloakSession s, RealmModel realm, UserModel user) {
        if (!realm.isBruteForceProtected()) {
            return false;
        }
        BruteForceProtector protector = s.getProvider(BruteForceProtector.class);
        return protector.isTemporarilyDisabled(s, realm, user) || protector.isPermanentlyLockedOut(s, realm, user);
    }

    static void failed(KeycloakSession s, RealmModel realm, UserModel user, String category) {
        if (realm.isBruteForceProtected()) {
            s.getProvider(BruteForceProtector.class).failedLogin(realm, user, s.getContext().getConnection(),
                    s.getContext().getHttpRequest().getUri(), Set.of(category));
        }
    }

    static void succeeded(KeycloakSession s, RealmModel realm, UserModel user, String category) {
        if (realm.isBruteForceProtected()) {
            s.getProvider(BruteForceProtector.class).successfulLogin(realm, user, s.getContext().getConnection(),
                    s.getContext().getHttpRequest().getUri(), Set.of(category));
        }
    }
}
