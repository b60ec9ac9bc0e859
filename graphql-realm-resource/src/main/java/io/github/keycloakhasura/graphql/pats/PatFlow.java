package io.github.keycloakhasura.graphql.pats;

import io.github.keycloakhasura.graphql.keycloak.RealmFlows;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
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
        return RealmFlows.findOrCreate(realm, ALIAS, "Personal access token (GraphQL tokenAuthWithPersonalAccessToken)",
                flow -> RealmFlows.step(realm, flow, PatAuthenticator.PROVIDER_ID, Requirement.REQUIRED, 10));
    }
}
