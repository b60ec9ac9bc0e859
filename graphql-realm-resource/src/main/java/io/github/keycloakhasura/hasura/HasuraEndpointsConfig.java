package io.github.keycloakhasura.hasura;

import java.util.function.Function;

/**
 * Server options of the Hasura helper endpoints, read once at start-up.
 *
 * @param jwksMaxAgeSeconds          Cache-Control max-age of the JWKS endpoint
 * @param defaultClientId            client described by jwt-config when none is asked for
 * @param webhookUnauthenticatedRole role for token-less webhook requests, or {@code null} to answer 401
 */
public record HasuraEndpointsConfig(int jwksMaxAgeSeconds, String defaultClientId, String webhookUnauthenticatedRole) {

    public static final String JWKS_MAX_AGE = "jwks-max-age";
    public static final String CLIENT_ID = "client-id";
    public static final String WEBHOOK_UNAUTHENTICATED_ROLE = "webhook-unauthenticated-role";
    public static final int DEFAULT_JWKS_MAX_AGE = 300;
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
            if (maxAge < 0) {
                throw new IllegalArgumentException("spi option " + JWKS_MAX_AGE
                        + " must be a whole number of seconds (0 or more), not '" + rawMaxAge + "'");
            }
        }
        String clientId = trimmed(options.apply(CLIENT_ID));
        String role = trimmed(options.apply(WEBHOOK_UNAUTHENTICATED_ROLE));
        return new HasuraEndpointsConfig(maxAge, clientId == null ? DEFAULT_CLIENT_ID : clientId, role);
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
