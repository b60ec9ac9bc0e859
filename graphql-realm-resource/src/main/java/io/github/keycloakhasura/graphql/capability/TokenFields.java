package io.github.keycloakhasura.graphql.capability;

import graphql.schema.PropertyDataFetcher;
import graphql.schema.idl.TypeRuntimeWiring;
import io.github.keycloakhasura.graphql.api.Tokens;

/** The fields of a token answer (ObtainJSONWebToken, Refresh, PasswordChange) read straight from {@link Tokens}. */
public final class TokenFields {

    private TokenFields() {
    }

    public static TypeRuntimeWiring.Builder wire(TypeRuntimeWiring.Builder type) {
        return type
                .dataFetcher("token", PropertyDataFetcher.fetching(Tokens::token))
                .dataFetcher("refreshToken", PropertyDataFetcher.fetching(Tokens::refreshToken))
                .dataFetcher("payload", PropertyDataFetcher.fetching(Tokens::payload))
                .dataFetcher("refreshExpiresIn", PropertyDataFetcher.fetching(Tokens::refreshExpiresIn))
                .dataFetcher("expiresIn", PropertyDataFetcher.fetching(Tokens::expiresIn))
                .dataFetcher("idToken", PropertyDataFetcher.fetching(Tokens::idToken));
    }
}
