package io.github.keycloakhasura.graphql.email;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.RequestContext;

import java.util.Map;

/**
 * sendPasswordResetEmail, passwordReset, resendActivationEmail, verifyAccount, confirmEmailChange: email.graphqls and
 * its fetchers, each reads its arguments and asks the {@link EmailPort}; the answer is {@code { success }}.
 */
public final class EmailCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(EmailCapability.class, "email.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", type -> type
                .dataFetcher("sendPasswordResetEmail", env -> success(port(env).sendPasswordResetEmail(env.getArgument("email"))))
                .dataFetcher("passwordReset", env -> success(port(env).passwordReset(env.getArgument("token"),
                        env.getArgument("newPassword"))))
                .dataFetcher("resendActivationEmail", env -> success(port(env).resendActivationEmail(env.getArgument("email"))))
                .dataFetcher("verifyAccount", env -> success(port(env).verifyAccount(env.getArgument("token"))))
                .dataFetcher("confirmEmailChange", env -> success(port(env).confirmEmailChange(env.getArgument("token")))));
    }

    private static EmailPort port(DataFetchingEnvironment env) {
        return RequestContext.port(env, EmailPort.class);
    }

    private static Map<String, Object> success(boolean success) {
        return Map.of("success", success);
    }
}
