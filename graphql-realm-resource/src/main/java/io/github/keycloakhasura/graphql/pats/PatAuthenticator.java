package io.github.keycloakhasura.graphql.pats;

import io.github.keycloakhasura.pat.PatCredentials;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.authenticators.directgrant.AbstractDirectGrantAuthenticator;
import org.keycloak.events.Errors;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

/**
 * The step of the {@value PatFlow#ALIAS} flow: checks the personal access token our code hands over as a session
 * attribute (never a request parameter: a request to Keycloak's own endpoints cannot present one). Unknown, revoked
 * (its credential deleted) or expired tokens, and disabled owners, fail.
 */
public final class PatAuthenticator extends AbstractDirectGrantAuthenticator {

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

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Attempt attempt = context.getSession().getAttribute(ATTRIBUTE) instanceof Attempt a ? a : null;
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

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "GraphQL personal access token";
    }

    @Override
    public String getHelpText() {
        return "Checks the personal access token of tokenAuthWithPersonalAccessToken (GraphQL API only).";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return new AuthenticationExecutionModel.Requirement[] {AuthenticationExecutionModel.Requirement.REQUIRED,
                AuthenticationExecutionModel.Requirement.DISABLED};
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}
