package io.github.keycloakhasura.graphql.passwordless.passkeys;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.capability.Transactions;

/**
 * passkeys, passkeyRegistrationOptions, passkeyRegister, passkeyLoginOptions, passkeyRemove: passkeys.graphqls and
 * {@link PasskeyFetchers} on the request's {@link Passkeys} port. passkeyLogin is a sign-in of the passwordless flow,
 * declared and wired by the passwordless capability.
 */
public final class PasskeysCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(PasskeysCapability.class, "passkeys.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        PasskeyFetchers passkeys = new PasskeyFetchers(new PasskeyFetchers.Request() {
            @Override
            public Passkeys passkeys(DataFetchingEnvironment env) {
                return RequestContext.port(env, Passkeys.class);
            }

            @Override
            public Caller caller(DataFetchingEnvironment env) {
                return RequestContext.of(env).caller();
            }

            @Override
            public TransactionMode transaction(DataFetchingEnvironment env) {
                return Transactions.of(env);
            }
        });
        wiring.type("Query", type -> type.dataFetcher("passkeys", passkeys::passkeys))
                .type("Mutation", type -> type
                        .dataFetcher("passkeyRegistrationOptions", passkeys::registrationOptions)
                        .dataFetcher("passkeyRegister", passkeys::register)
                        .dataFetcher("passkeyLoginOptions", passkeys::loginOptions)
                        .dataFetcher("passkeyRemove", passkeys::remove));
    }
}
