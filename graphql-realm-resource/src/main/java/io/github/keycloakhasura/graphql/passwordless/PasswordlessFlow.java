package io.github.keycloakhasura.graphql.passwordless;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;

/**
 * The realm's direct-grant style flow for passwordless sign-in (link, code, passkey): {@link PasswordlessAuthenticator}, then the same
 * conditional OTP step as Keycloak's "direct grant" flow. Created in a realm the first time it is needed (in the
 * sign-in's transaction); an admin may change it afterwards (Authentication > Flows), and its steps then apply.
 */
final class PasswordlessFlow {

    static final String ALIAS = "graphql passwordless";
    private static final String OTP_ALIAS = "graphql passwordless - conditional OTP";

    private PasswordlessFlow() {
    }

    static AuthenticationFlowModel findOrCreate(RealmModel realm) {
        AuthenticationFlowModel flow = realm.getFlowByAlias(ALIAS);
        return flow != null ? flow : create(realm);
    }

    private static AuthenticationFlowModel create(RealmModel realm) {
        AuthenticationFlowModel top = flow(realm, ALIAS, "Sign-in link, emailed code or passkey (GraphQL loginWithLink, loginWithCode, passkeyLogin)", true);
        execution(realm, top.getId(), PasswordlessAuthenticator.PROVIDER_ID, null, Requirement.REQUIRED, 10);
        AuthenticationFlowModel otp = flow(realm, OTP_ALIAS, "OTP when the user has it configured", false);
        execution(realm, top.getId(), null, otp.getId(), Requirement.CONDITIONAL, 20);
        execution(realm, otp.getId(), "conditional-user-configured", null, Requirement.REQUIRED, 10);
        execution(realm, otp.getId(), "direct-grant-validate-otp", null, Requirement.REQUIRED, 20);
        return top;
    }

    private static AuthenticationFlowModel flow(RealmModel realm, String alias, String description, boolean topLevel) {
        AuthenticationFlowModel flow = new AuthenticationFlowModel();
        flow.setAlias(alias);
        flow.setDescription(description);
        flow.setProviderId("basic-flow");
        flow.setTopLevel(topLevel);
        flow.setBuiltIn(false);
        return realm.addAuthenticationFlow(flow);
    }

    private static void execution(RealmModel realm, String parent, String authenticator, String subflow, Requirement requirement,
                                  int priority) {
        AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
        execution.setParentFlow(parent);
        execution.setRequirement(requirement);
        execution.setAuthenticator(authenticator);
        execution.setFlowId(subflow);
        execution.setAuthenticatorFlow(subflow != null);
        execution.setPriority(priority);
        realm.addAuthenticatorExecution(execution);
    }
}
