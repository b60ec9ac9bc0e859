package io.github.keycloakhasura.graphql.keycloak;

import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.RealmModel;

import java.util.function.Consumer;

/**
 * The realm's flows of our in-process sign-ins ({@link InProcessFlow}): created the first time one is needed (in the
 * sign-in's transaction) as basic flows an admin sees and may change afterwards (Authentication &gt; Flows), whose
 * steps then apply.
 */
public final class RealmFlows {

    private RealmFlows() {
    }

    /** The top-level flow {@code alias}; if the realm has none, a new one whose steps {@code steps} adds (given its id). */
    public static AuthenticationFlowModel findOrCreate(RealmModel realm, String alias, String description, Consumer<String> steps) {
        AuthenticationFlowModel flow = realm.getFlowByAlias(alias);
        if (flow != null) {
            return flow;
        }
        flow = flow(realm, alias, description, true);
        steps.accept(flow.getId());
        return flow;
    }

    /** A new sub-flow (not top-level) {@code alias}, to add as a step with {@link #subflow}; its id. */
    public static String newSubflow(RealmModel realm, String alias, String description) {
        return flow(realm, alias, description, false).getId();
    }

    /** Adds the authenticator {@code authenticator} to the flow {@code parent}. */
    public static void step(RealmModel realm, String parent, String authenticator, Requirement requirement, int priority) {
        execution(realm, parent, authenticator, null, requirement, priority);
    }

    /** Adds the sub-flow {@code subflow} to the flow {@code parent}. */
    public static void subflow(RealmModel realm, String parent, String subflow, Requirement requirement, int priority) {
        execution(realm, parent, null, subflow, requirement, priority);
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
