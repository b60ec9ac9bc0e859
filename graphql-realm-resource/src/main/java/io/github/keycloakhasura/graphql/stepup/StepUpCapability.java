package io.github.keycloakhasura.graphql.stepup;

import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.capability.Transactions;

/** elevate: stepup.graphqls and {@link StepUpFetchers}, on the request's {@link StepUp} port. */
public final class StepUpCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(StepUpCapability.class, "stepup.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        StepUpFetchers stepUp = new StepUpFetchers(env -> RequestContext.port(env, StepUp.class), Transactions::of);
        wiring.type("Mutation", type -> type.dataFetcher("elevate", stepUp::elevate));
    }
}
