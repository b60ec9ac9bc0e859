package io.github.keycloakhasura.graphql.pats;

import io.github.keycloakhasura.graphql.keycloak.HandedOverAuthenticator;
import io.github.keycloakhasura.pat.PatCredentials;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.events.Errors;
import org.keycloak.models.UserModel;

/**
 * The step of the {@value PatFlow#ALIAS} flow: checks the personal access token our code hands over as a session
 * attribute (never a request parameter: a request to Keycloak's own endpoints cannot present one). Unknown, revoked
 * (its credential deleted) or expired tokens, and disabled owners, fail.
 */
public final class PatAuthenticator extends HandedOverAuthenticator {

    public static final String PROVIDER_ID = "graphql-personal-access-token";
    static final String ATTRIBUTE = PatAuthenticator.class.getName();

    /** One login: the token presented, and the stored token once accepted. */
    static final class Attempt {
        private final String token;
        private PatCredentials.Stored stored;

        Attempt(String token) {
            this.token = token;
        }

        PatCredentials.Stored stored() {
            return stored;
        }
    }

    public PatAuthenticator() {
        super(PROVIDER_ID, "GraphQL personal access token",
                "Checks the personal access token of tokenAuthWithPersonalAccessToken (GraphQL API only).");
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Attempt attempt = handedOver(context, ATTRIBUTE, Attempt.class);
        PatCredentials.Stored stored = attempt == null ? null
                : PatCredentials.find(context.getSession(), context.getRealm(), attempt.token);
        if (stored == null || stored.expired()) {
            context.getEvent().error(Errors.INVALID_TOKEN);
            context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, errorResponse(400, "invalid_grant", PatGrant.INVALID));
            return;
        }
        UserModel user = stored.user();
        context.getEvent().user(user);
        if (!user.isEnabled()) {
            context.getEvent().error(Errors.USER_DISABLED);
            context.failure(AuthenticationFlowError.USER_DISABLED, errorResponse(400, "invalid_grant", PatGrant.INVALID));
            return;
        }
        context.setUser(user);
        attempt.stored = stored;
        context.success();
    }
}
