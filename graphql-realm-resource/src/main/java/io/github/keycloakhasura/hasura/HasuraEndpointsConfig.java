package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.mapper.HasuraClaims;
import io.github.keycloakhasura.options.OptionReader;

import java.time.temporal.ChronoUnit;
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
        OptionReader reader = OptionReader.of(options).naming(key -> "spi option " + key);
        // Below MIN_JWKS_MAX_AGE Hasura re-reads the keys each time it runs out.
        int maxAge = (int) reader.duration(JWKS_MAX_AGE, ChronoUnit.SECONDS, DEFAULT_JWKS_MAX_AGE, MIN_JWKS_MAX_AGE,
                Integer.MAX_VALUE).toSeconds();
        String clientId = reader.text(CLIENT_ID, DEFAULT_CLIENT_ID);
        String role = reader.text(WEBHOOK_UNAUTHENTICATED_ROLE);
        if (role != null && role.equalsIgnoreCase(HasuraClaims.HASURA_ADMIN_ROLE)) {
            throw new IllegalArgumentException("spi option " + WEBHOOK_UNAUTHENTICATED_ROLE + " must never be 'admin': "
                    + "every request without a token would get Hasura's admin role, which bypasses every permission "
                    + "(use a role such as 'anonymous'), not '" + role + "'");
        }
        return new HasuraEndpointsConfig(maxAge, clientId, role);
    }
}
