package io.github.keycloakhasura.hasura;

import org.keycloak.representations.AccessToken;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Expires} field of the webhook's JSON answer: the token's {@code exp} as an RFC 7231 IMF-fixdate
 * ({@code Sun, 06 Nov 1994 08:49:37 GMT}). Hasura's webhook client reads {@code Cache-Control} and then
 * {@code Expires} from the response body (graphql-engine, {@code Hasura.Server.Auth.WebHook}) and ends the caller's
 * WebSocket connection at that time.
 */
final class WebhookExpiry {

    static final String FIELD = "Expires";
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private WebhookExpiry() {
    }

    /** IMF-fixdate of {@code token.exp}, or null when the token has no expiry. */
    static String expires(AccessToken token) {
        Long exp = token == null ? null : token.getExp();
        return exp == null || exp <= 0 ? null : format(exp);
    }

    static String format(long epochSeconds) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSeconds));
    }
}
