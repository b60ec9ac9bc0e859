package io.github.keycloakhasura.graphql.login;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Arguments;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.RequestContext;

/**
 * tokenAuth: login.graphqls and its fetcher, which reads the arguments (the pending required actions' input through
 * {@link Arguments}) and asks the request's {@link LoginPort}. Its answer type, {@code ObtainJSONWebToken}, is the
 * schema core's (shared with the other sign-ins).
 */
public final class LoginCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(LoginCapability.class, "login.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", type -> type.dataFetcher("tokenAuth", LoginCapability::tokenAuth));
    }

    static Object tokenAuth(DataFetchingEnvironment env) {
        return RequestContext.port(env, LoginPort.class).login(env.getArgument("username"), env.getArgument("password"),
                env.getArgument("clientId"), env.getArgument("scope"), env.getArgument("otp"), Arguments.pending(env),
                env.getArgument("organization"));
    }
}
