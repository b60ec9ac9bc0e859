package io.github.keycloakhasura.graphql.keycloak;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.directgrant.AbstractDirectGrantAuthenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderConfigProperty;

import java.util.List;

/**
 * A step of a flow that only our GraphQL code runs ({@link InProcessFlow}): what it checks is handed over as a session
 * attribute ({@link InProcessFlow#passes}), never a request parameter, so a request to Keycloak's own endpoints cannot
 * present it. Like Keycloak's direct-grant steps it is its own factory; it needs no user beforehand, has no
 * configuration and sets no required action, and is REQUIRED or DISABLED. No reference category: a failure counts
 * with the brute-force protector like a password's (26.5+ skips unknown categories).
 */
public abstract class HandedOverAuthenticator extends AbstractDirectGrantAuthenticator {

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
            AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED};

    private final String id;
    private final String displayType;
    private final String helpText;

    protected HandedOverAuthenticator(String id, String displayType, String helpText) {
        this.id = id;
        this.displayType = displayType;
        this.helpText = helpText;
    }

    /** What our code handed over for this login under {@code attribute}, or null (none, or not a {@code type}). */
    protected static <T> T handedOver(AuthenticationFlowContext context, String attribute, Class<T> type) {
        Object value = context.getSession().getAttribute(attribute);
        return type.isInstance(value) ? type.cast(value) : null;
    }

    @Override
    public final boolean requiresUser() {
        return false;
    }

    @Override
    public final boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public final void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public final String getId() {
        return id;
    }

    @Override
    public final String getDisplayType() {
        return displayType;
    }

    @Override
    public final String getHelpText() {
        return helpText;
    }

    @Override
    public final String getReferenceCategory() {
        return null;
    }

    @Override
    public final boolean isConfigurable() {
        return false;
    }

    @Override
    public final AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS.clone();
    }

    @Override
    public final boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public final List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }
}
