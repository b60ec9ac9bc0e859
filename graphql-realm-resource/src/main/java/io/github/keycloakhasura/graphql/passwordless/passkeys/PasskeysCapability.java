package io.github.keycloakhasura.graphql.passwordless.passkeys;

import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;

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
        wiring.type("Query", type -> type.dataFetcher("passkeys", PasskeyFetchers::passkeys))
                .type("Mutation", type -> type
                        .dataFetcher("passkeyRegistrationOptions", PasskeyFetchers::registrationOptions)
                        .dataFetcher("passkeyRegister", PasskeyFetchers::register)
                        .dataFetcher("passkeyLoginOptions", PasskeyFetchers::loginOptions)
                        .dataFetcher("passkeyRemove", PasskeyFetchers::remove));
    }
}
