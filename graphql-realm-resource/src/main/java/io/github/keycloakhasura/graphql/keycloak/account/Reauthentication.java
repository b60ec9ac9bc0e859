package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.EventType;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * The proof beyond the bearer token that an operation changing how the account is secured (its email, its MFA)
 * needs: the current password (one brute-force-counted guess, as passwordChange checks it), or a login no longer ago
 * than Keycloak's re-authentication age for the matching required action.
 * <p>
 * "Login" is the user session's {@code AUTH_TIME} note when Keycloak set one (browser flows, re-authentication),
 * else the session's start: the password grant sets no {@code AUTH_TIME}, and a refresh does not move the start, so
 * a token refreshed for days is not a recent login. The age is the required action's {@code max_auth_age}
 * (Authentication &gt; Required actions &gt; Configure, e.g. {@code CONFIGURE_TOTP}, {@code UPDATE_EMAIL}), default
 * {@link Constants#KC_ACTION_MAX_AGE} (300 s), as Keycloak applies it to application-initiated actions.
 */
public final class Reauthentication {

    /** The required action whose {@code max_auth_age} governs an email change. */
    public static final String UPDATE_EMAIL = "UPDATE_EMAIL";
    /** The required action whose {@code max_auth_age} governs adding or removing an authenticator. */
    public static final String CONFIGURE_TOTP = "CONFIGURE_TOTP";

    static final String REQUIRED = "This change needs your current password (argument password), or a login within the last %d seconds";

    private Reauthentication() {
    }

    /**
     * Returns normally when {@code password} is the caller's current password, or, without a password, when the
     * caller's login is recent; otherwise UNAUTHENTICATED (wrong password) or REAUTHENTICATION_REQUIRED.
     */
    public static void require(Self self, String password, String requiredAction) {
        if (password != null && !password.isEmpty()) {
            Passwords.verify(self.session(), self.realm(), self.user(), password,
                    self.event(EventType.UPDATE_CREDENTIAL_ERROR).detail(Details.REASON, "re-authentication for " + requiredAction));
            return;
        }
        int maxAge = maxAuthAge(self.realm(), requiredAction);
        if (authTime(self.userSession()) + maxAge < Time.currentTime()) {
            throw new GraphqlException(ErrorCode.REAUTHENTICATION_REQUIRED, String.format(REQUIRED, maxAge));
        }
    }

    /** The required action's {@code max_auth_age}, or Keycloak's default when it has none (or nonsense). */
    static int maxAuthAge(RealmModel realm, String requiredAction) {
        RequiredActionConfigModel config = realm.getRequiredActionConfigByAlias(requiredAction);
        if (config != null && config.containsConfigKey(Constants.MAX_AUTH_AGE_KEY)) {
            try {
                int age = RequiredActionFactory.parseMaxAuthAge(config);
                if (age >= 0) {
                    return age;
                }
            } catch (NumberFormatException e) {
                // Keycloak refuses to store such a value; fall back to its default like Keycloak does.
            }
        }
        return Constants.KC_ACTION_MAX_AGE;
    }

    /** When the session's user last logged in: the AUTH_TIME note, else the session's start (epoch seconds). */
    static int authTime(UserSessionModel userSession) {
        String note = userSession.getNote(AuthenticationManager.AUTH_TIME);
        if (note != null) {
            try {
                return Integer.parseInt(note);
            } catch (NumberFormatException e) {
                // fall through to the start of the session
            }
        }
        return userSession.getStarted();
    }
}
