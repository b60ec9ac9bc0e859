package io.github.keycloakhasura.graphql.passwordless;

import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;

/** sendLoginLink, loginWithLink, loginWithCode, passkeyLogin: passwordless.graphqls and {@link PasswordlessFetchers}. */
public final class PasswordlessCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(PasswordlessCapability.class, "passwordless.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", type -> type
                .dataFetcher("sendLoginLink", PasswordlessFetchers::sendLoginLink)
                .dataFetcher("loginWithLink", PasswordlessFetchers::loginWithLink)
                .dataFetcher("loginWithCode", PasswordlessFetchers::loginWithCode)
                .dataFetcher("passkeyLogin", PasswordlessFetchers::passkeyLogin));
    }
}
