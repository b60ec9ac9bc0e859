package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.mapper.HasuraClaims;

import java.util.function.Function;

/**
 * Server options of the Hasura helper endpoints, read once at start-up.
 *
 * @param jwksMaxAgeSeconds          Cache-Control max-age of the JWKS endpoint (30 or more)
 * @param defaultClientId            client described by jwt-config when none is asked for
 * @param webhookUnauthenticatedRole role for token-less webhook requests, or {@code null} to answer 401
 */
public record HasuraEndpointsConfig(int jwksMaxAgeSeconds, String defaultClientId, String webhookUnauthenticatedRole) {

    public static final String JWKS_MAX_AGE = "jwks-max-age";
    public static final String CLIENT_ID = "client-id";
    public static final String WEBHOOK_UNAUTHENTICATED_ROLE = "webhook-unauthenticated-role";
    public static final int DEFAULT_JWKS_MAX_AGE = 300;
    /**
     * Below this Hasura would re-read the keys almost continuously: it refetches as soon as max-age runs out (and
     * every second for {@code no-cache}), on every instance.
     */
    public static final int MIN_JWKS_MAX_AGE = 30;
    public static final String DEFAULT_CLIENT_ID = "hasura-app";

    public static HasuraEndpointsConfig defaults() {
        return new HasuraEndpointsConfig(DEFAULT_JWKS_MAX_AGE, DEFAULT_CLIENT_ID, null);
    }

    /**
     * Parses the options from a lookup (Keycloak's {@code Config.Scope::get} in production).
     *
     * @throws IllegalArgumentException naming the option when a value is unusable, so start-up fails loudly
     */
    public static HasuraEndpointsConfig from(Function<String, String> options) {
        int maxAge = DEFAULT_JWKS_MAX_AGE;
        String rawMaxAge = trimmed(options.apply(JWKS_MAX_AGE));
        if (rawMaxAge != null) {
            try {
                maxAge = Integer.parseInt(rawMaxAge);
            } catch (NumberFormatException e) {
                maxAge = -1;
            }
            if (maxAge < MIN_JWKS_MAX_AGE) {
                throw new IllegalArgumentException("spi option " + JWKS_MAX_AGE + " must be a whole number of seconds, "
                        + MIN_JWKS_MAX_AGE + " or more (Hasura re-reads the keys each time it runs out), not '" + rawMaxAge + "'");
            }
        }
        String clientId = trimmed(options.apply(CLIENT_ID));
        String role = trimmed(options.apply(WEBHOOK_UNAUTHENTICATED_ROLE));
        if (role != null && role.equalsIgnoreCase(HasuraClaims.HASURA_ADMIN_ROLE)) {
            throw new IllegalArgumentException("spi option " + WEBHOOK_UNAUTHENTICATED_ROLE + " must never be 'admin': "
                    + "every request without a token would get Hasura's admin role, which bypasses every permission "
                    + "(use a role such as 'anonymous'), not '" + role + "'");
        }
        return new HasuraEndpointsConfig(maxAge, clientId == null ? DEFAULT_CLIENT_ID : clientId, role);
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
