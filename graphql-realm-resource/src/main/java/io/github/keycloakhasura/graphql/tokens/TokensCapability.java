package io.github.keycloakhasura.graphql.tokens;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.capability.Transactions;

import java.util.Map;

/**
 * refreshToken, verifyToken, revokeToken: tokens.graphqls and its fetchers, each reads its arguments and asks the
 * {@link TokensPort} (in the transaction {@link Transactions} chooses).
 */
public final class TokensCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(TokensCapability.class, "tokens.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Mutation", type -> type
                .dataFetcher("refreshToken", TokensCapability::refreshToken)
                .dataFetcher("verifyToken", TokensCapability::verifyToken)
                .dataFetcher("revokeToken", TokensCapability::revokeToken));
    }

    static Object refreshToken(DataFetchingEnvironment env) {
        return port(env).refresh(env.getArgument("refreshToken"), Transactions.of(env));
    }

    static Object verifyToken(DataFetchingEnvironment env) {
        return Map.of("payload", port(env).verify(env.getArgument("token"), Transactions.of(env)).payload());
    }

    static Object revokeToken(DataFetchingEnvironment env) {
        return Map.of("revoked", port(env).revoke(env.getArgument("refreshToken"), Transactions.of(env)).revokedAt());
    }

    private static TokensPort port(DataFetchingEnvironment env) {
        return RequestContext.port(env, TokensPort.class);
    }
}
