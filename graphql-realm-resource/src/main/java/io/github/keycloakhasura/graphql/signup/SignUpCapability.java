package io.github.keycloakhasura.graphql.signup;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.RequestContext;

import java.util.LinkedHashMap;
import java.util.Map;

/** createUser: signup.graphqls and its fetcher, which reads the arguments and asks the {@link SignUpPort}. */
public final class SignUpCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(SignUpCapability.class, "signup.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", type -> type.dataFetcher("createUser", SignUpCapability::createUser));
    }

    private static Object createUser(DataFetchingEnvironment env) {
        SignUp signUp = RequestContext.port(env, SignUpPort.class).signUp(env.getArgument("username"),
                env.getArgument("password"), env.getArgument("email"), env.getArgument("firstName"), env.getArgument("lastName"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user", signUp.user());
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("role", signUp.user().hasuraRole());
        result.put("profile", profile);
        // No tokens while the new user's email waits for verification (the realm's "Verify email" switch).
        Tokens tokens = signUp.tokens();
        result.put("token", tokens == null ? null : tokens.token());
        result.put("refreshToken", tokens == null ? null : tokens.refreshToken());
        result.put("payload", tokens == null ? null : tokens.payload());
        result.put("refreshExpiresIn", tokens == null ? null : tokens.refreshExpiresIn());
        return result;
    }
}
