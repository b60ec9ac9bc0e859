package io.github.keycloakhasura.graphql.api;

/**
 * What Keycloak's token endpoint answered, reduced to what the API returns.
 *
 * @param payload          the access token's claims as Keycloak signed them ({@link RawJson})
 * @param refreshExpiresIn when the refresh token expires (epoch seconds; the seed's name)
 * @param expiresIn        the access token's lifetime in seconds
 */
public record Tokens(String token, String refreshToken, Object payload, Long refreshExpiresIn, Long expiresIn,
                     String idToken) {
}
