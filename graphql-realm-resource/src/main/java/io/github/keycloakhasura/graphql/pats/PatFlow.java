package io.github.keycloakhasura.graphql.pats;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;

/**
 * The realm's flow for tokenAuthWithPersonalAccessToken: one step, {@link PatAuthenticator}. Created in a realm the
 * first time it is needed; an admin may disable the step (Authentication &gt; Flows), which refuses every such login.
 */
final class PatFlow {

    static final String ALIAS = "graphql personal access token";

    private PatFlow() {
    }

    static AuthenticationFlowModel findOrCreate(RealmModel realm) {
        AuthenticationFlowModel flow = realm.getFlowByAlias(ALIAS);
        if (flow != null) {
            return flow;
        }
        flow = new AuthenticationFlowModel();
        flow.setAlias(ALIAS);
        flow.setDescription("Personal access token (GraphQL tokenAuthWithPersonalAccessToken)");
        flow.setProviderId("basic-flow");
        flow.setTopLevel(true);
        flow.setBuiltIn(false);
        flow = realm.addAuthenticationFlow(flow);
        AuthenticationExecutionModel execution = new AuthenticationExecutionModel();
        execution.setParentFlow(flow.getId());
        execution.setRequirement(AuthenticationExecutionModel.Requirement.REQUIRED);
        execution.setAuthenticator(PatAuthenticator.PROVIDER_ID);
        execution.setAuthenticatorFlow(false);
        execution.setPriority(10);
        realm.addAuthenticatorExecution(execution);
        return flow;
    }
}
