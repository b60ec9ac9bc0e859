package io.github.keycloakhasura.graphql.pats;

import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.capability.Transactions;

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
        PatFetchers pats = new PatFetchers(PatFetchers.request(env -> RequestContext.port(env, PersonalAccessTokens.class),
                env -> RequestContext.of(env).caller(), Transactions::of));
        wiring.type("Query", type -> type.dataFetcher("personalAccessTokens", pats::list))
                .type("Mutation", type -> type
                        .dataFetcher("createPersonalAccessToken", pats::create)
                        .dataFetcher("revokePersonalAccessToken", pats::revoke)
                        .dataFetcher("tokenAuthWithPersonalAccessToken", pats::login));
    }
}
