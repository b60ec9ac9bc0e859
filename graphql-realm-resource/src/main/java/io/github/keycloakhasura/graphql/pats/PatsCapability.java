package io.github.keycloakhasura.graphql.pats;

import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;

/**
 * personalAccessTokens, createPersonalAccessToken, revokePersonalAccessToken, tokenAuthWithPersonalAccessToken:
 * pats.graphqls and {@link PatFetchers}; the caller is the request's verified bearer.
 */
public final class PatsCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(PatsCapability.class, "pats.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type.dataFetcher("personalAccessTokens", PatFetchers::list))
                .type("Mutation", type -> type
                        .dataFetcher("createPersonalAccessToken", PatFetchers::create)
                        .dataFetcher("revokePersonalAccessToken", PatFetchers::revoke)
                        .dataFetcher("tokenAuthWithPersonalAccessToken", PatFetchers::login));
    }
}
