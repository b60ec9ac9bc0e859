/** The token capability: refreshToken, verifyToken, revokeToken (tokens.graphqls, fetchers, {@code TokensPort}, {@code KeycloakTokens}). */
package io.github.keycloakhasura.graphql.tokens;
