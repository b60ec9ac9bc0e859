package io.github.keycloakhasura.graphql.keycloak;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.BruteForceProtector;

import java.util.concurrent.TimeUnit;

/**
 * Waits until Keycloak's brute-force protector has let go of a user after a login, so tokenAuth answers only when
 * the next login of the same user can succeed.
 * <p>
 * Keycloak's default protector (DefaultBlockingBruteForceProtector, unless {@code allowConcurrentRequests}) marks the
 * user "login in progress" during a login and removes the mark only once both the login's transaction and its
 * brute-force bookkeeping, which runs on another thread after the login, have ended. A login of the user meanwhile is
 * refused as {@code user_temporarily_disabled} ("Invalid user credentials"), with no failure recorded. The login's
 * transaction ends before tokenAuth answers; the bookkeeping may not have, so a client logging the same user in again
 * as soon as it has its tokens (tokenAuth, or Keycloak's token endpoint) was refused now and then.
 * <p>
 * The probe is the protector's own check ({@code isTemporarilyDisabled}, with an authentication session as during a
 * login) in a transaction that is rolled back, which drops the mark the probe itself takes when the user is free.
 */
final class LoginRelease {

    private static final Logger LOG = Logger.getLogger(LoginRelease.class);

    /** Far beyond the bookkeeping's usual few milliseconds; a login is never held longer than this. */
    static final long MAX_WAIT_MILLIS = 3000;
    private static final long STEP_MILLIS = 5;

    private LoginRelease() {
    }

    /**
     * Returns once the protector no longer holds the user {@code username} names (as Keycloak's direct grant finds
     * users: by username or email), or after {@link #MAX_WAIT_MILLIS}.
     */
    static void await(KeycloakSession outer, String clientId, String username) {
        KeycloakSessionFactory factory = outer.getKeycloakSessionFactory();
        String realmId = outer.getContext().getRealm().getId();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
        int probes = 0;
        while (held(factory, realmId, clientId, username)) {
            probes++;
            if (System.nanoTime() >= deadline) {
                LOG.warnf("login answer: the brute-force protector still holds user %s after %d ms", username, MAX_WAIT_MILLIS);
                return;
            }
            try {
                Thread.sleep(STEP_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (probes > 0) {
            LOG.debugf("login answer waited %d ms for the brute-force protector to release user %s",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), username);
        }
    }

    /** Whether the protector refuses a login of the user now for no reason but a login still being accounted for. */
    static boolean held(KeycloakSessionFactory factory, String realmId, String clientId, String username) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            s.getTransactionManager().setRollbackOnly(); // nothing of the probe stays, its mark on the user included
            RealmModel realm = s.realms().getRealm(realmId);
            if (realm == null || !realm.isBruteForceProtected()) {
                return false;
            }
            s.getContext().setRealm(realm);
            UserModel user = KeycloakModelUtils.findUserByNameOrEmail(s, realm, username.trim());
            ClientModel client = realm.getClientByClientId(clientId);
            if (user == null || client == null) {
                return false;
            }
            UserLoginFailureModel failures = s.loginFailures().getUserLoginFailure(realm, user.getId());
            if (failures != null && Time.currentTime() < failures.getFailedLoginNotBefore()) {
                return false; // really locked out: nothing to wait for
            }
            s.getContext().setClient(client);
            s.getContext().setAuthenticationSession(new AuthenticationSessionManager(s)
                    .createAuthenticationSession(realm, false).createAuthenticationSession(client));
            return s.getProvider(BruteForceProtector.class).isTemporarilyDisabled(s, realm, user);
        });
    }
}
