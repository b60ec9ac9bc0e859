package io.github.keycloakhasura.graphql.passwordless;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.keycloak.account.ActionTokens;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

/**
 * Uses up what a sign-in showed, once the whole flow has passed and just before tokens are issued, atomically in
 * Keycloak's single-use object store: the link's token (and the code sent with it), or the code (and its link). A
 * second sign-in with either, here or on another node, is refused.
 */
final class Consumption {

    private Consumption() {
    }

    /** Null when used up now; the error when another request used it first. */
    static GraphqlException useUp(KeycloakSession s, UserModel user, Attempt attempt, EventBuilder event) {
        if (attempt.proof() instanceof LoginProof.Passkey) {
            return null; // its challenge was used up when it was checked (PasskeyAssertion)
        }
        LoginLinkToken link = attempt.link();
        if (link != null) {
            try {
                ActionTokens.consume(s, link, event);
            } catch (GraphqlException e) {
                return e;
            }
            LoginCodes.discard(s, user);
            return null;
        }
        String linkKey = LoginCodes.consume(s, user);
        if (linkKey == null) {
            event.error(Errors.EXPIRED_CODE);
            return new GraphqlException(ErrorCode.INVALID_CODE, PasswordlessAuthenticator.INVALID_CODE);
        }
        if (!linkKey.isEmpty()) {
            s.singleUseObjects().putIfAbsent(linkKey, ActionTokens.lifespan(s.getContext().getRealm(), LoginLinkToken.TOKEN_TYPE) + 10L);
        }
        return null;
    }
}
