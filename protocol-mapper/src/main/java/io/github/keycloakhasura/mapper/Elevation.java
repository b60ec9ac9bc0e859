package io.github.keycloakhasura.mapper;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/**
 * Step-up: {@code x-hasura-auth-elevated}, the one session variable saying "this token was issued within the
 * elevation window of a fresh proof of the user" (password, OTP or passkey, checked by the GraphQL endpoint's
 * {@code elevate}). The proof's time is a note on the Keycloak client session ({@link #NOTE}, epoch seconds), set
 * only by {@code elevate} after the proof: Keycloak copies no request parameter into a client note of this name.
 * <p>
 * Pure rule: a token is elevated when it was issued no earlier than the proof and at most {@code window} seconds
 * after it. A token issued before the proof (a stolen one) never is, and a refresh after the window drops it. The
 * token, the webhook and {@code whoami} all judge by the token's own issue time, so they agree; an existing token
 * counts only if Keycloak issued it elevated ({@link #issuedAtIfIssuedElevated}).
 */
public final class Elevation {

    /** The client-session note holding when the step-up proof was given (epoch seconds). */
    public static final String NOTE = "keycloak-hasura.elevated-at";

    /** Default of the mapper option {@link HasuraMapperConfig#ELEVATION_WINDOW}: 5 minutes. */
    public static final int DEFAULT_WINDOW_SECONDS = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    private Elevation() {
    }

    /**
     * The issue time to judge an existing token by (the webhook's, whoami's): its {@code iat} when Keycloak issued it
     * elevated (its Hasura claim object, {@code json} or {@code stringified_json}, has {@link HasuraReservedNames#AUTH_ELEVATED}),
     * else null (never elevated). Issue times are whole seconds: a token issued in the second of the proof but before
     * it (a stolen one) has the same {@code iat} as the elevated ones, and only how it was issued tells them apart.
     */
    public static Long issuedAtIfIssuedElevated(Object hasuraClaim, Long iat) {
        Object claims = hasuraClaim;
        if (hasuraClaim instanceof String text) {
            try {
                claims = JSON.readValue(text, Map.class);
            } catch (Exception e) {
                return null;
            }
        }
        return claims instanceof Map<?, ?> map && map.get(HasuraReservedNames.AUTH_ELEVATED) != null ? iat : null;
    }

    /**
     * Whether a token issued at {@code issuedAt} (epoch seconds; null: unknown, never elevated) is elevated by a proof
     * noted as {@code note} (null or nonsense: none), for a window of {@code windowSeconds}.
     */
    public static boolean applies(String note, Long issuedAt, int windowSeconds) {
        if (note == null || issuedAt == null || windowSeconds <= 0) {
            return false;
        }
        long provedAt;
        try {
            provedAt = Long.parseLong(note.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        return issuedAt >= provedAt && issuedAt - provedAt <= windowSeconds;
    }
}
