package io.github.keycloakhasura.sync;

import io.github.keycloakhasura.options.OptionReader;

import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import org.keycloak.Config;

/**
 * The options of the {@code hasura-sync} events listener ({@code --spi-events-listener--hasura-sync--<name>}):
 * {@code url} (unset: sync off), {@code client-id}, {@code delete}; the worker's timing has defaults tests may lower.
 */
public record SyncSettings(URI url, String clientId, DeleteMode deleteMode, Duration pollInterval,
                           Duration maxBackoff, Duration requestTimeout, Duration lease) {

    public static final String URL = "url";
    public static final String CLIENT_ID = "client-id";
    public static final String DELETE = "delete";
    public static final String POLL_INTERVAL_MS = "poll-interval-ms";
    public static final String MAX_BACKOFF_SECONDS = "max-backoff-seconds";
    public static final String REQUEST_TIMEOUT_MS = "request-timeout-ms";

    public static final String DEFAULT_CLIENT_ID = "hasura-sync";
    public static final int DEFAULT_POLL_INTERVAL_MS = 1000;
    public static final int DEFAULT_MAX_BACKOFF_SECONDS = 60;
    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

    public enum DeleteMode { SOFT, HARD }

    public boolean enabled() {
        return url != null;
    }

    public static SyncSettings read(Config.Scope scope) {
        OptionReader options = OptionReader.of(scope::get).naming(key -> "hasura-sync: " + key);
        int max = Integer.MAX_VALUE;
        return of(options.text(URL), options.text(CLIENT_ID, DEFAULT_CLIENT_ID), options.text(DELETE, "soft"),
                (int) options.duration(POLL_INTERVAL_MS, ChronoUnit.MILLIS, DEFAULT_POLL_INTERVAL_MS, 10, max).toMillis(),
                (int) options.duration(MAX_BACKOFF_SECONDS, ChronoUnit.SECONDS, DEFAULT_MAX_BACKOFF_SECONDS, 1, max).toSeconds(),
                (int) options.duration(REQUEST_TIMEOUT_MS, ChronoUnit.MILLIS, DEFAULT_REQUEST_TIMEOUT_MS, 100, max).toMillis());
    }

    /** @throws IllegalArgumentException naming the option when a value makes no sense (Keycloak then does not start) */
    static SyncSettings of(String url, String clientId, String delete, int pollMs, int maxBackoffSeconds, int timeoutMs) {
        URI uri = null;
        if (url != null && !url.isBlank()) {
            uri = URI.create(url.trim());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("hasura-sync: url must be an http(s) URL, not '" + url + "'");
            }
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("hasura-sync: client-id must not be empty");
        }
        DeleteMode mode = switch (delete == null ? "soft" : delete.trim().toLowerCase(Locale.ROOT)) {
            case "soft" -> DeleteMode.SOFT;
            case "hard" -> DeleteMode.HARD;
            default -> throw new IllegalArgumentException("hasura-sync: delete must be 'soft' or 'hard', not '" + delete + "'");
        };
        if (pollMs < 10 || maxBackoffSeconds < 1 || timeoutMs < 100) {
            throw new IllegalArgumentException("hasura-sync: poll-interval-ms >= 10, max-backoff-seconds >= 1 and "
                    + "request-timeout-ms >= 100");
        }
        Duration timeout = Duration.ofMillis(timeoutMs);
        // The lease outlives one delivery by far: another node takes an entry over only after a crash.
        Duration lease = timeout.multipliedBy(3).plusSeconds(30);
        return new SyncSettings(uri, clientId.trim(), mode, Duration.ofMillis(pollMs),
                Duration.ofSeconds(maxBackoffSeconds), timeout, lease);
    }

    /** Wait before attempt {@code attempts + 1}: 1 s, 2 s, 4 s, … capped at {@code max-backoff-seconds}. */
    public Duration backoff(int attempts) {
        long seconds = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        return seconds >= maxBackoff.toSeconds() ? maxBackoff : Duration.ofSeconds(seconds);
    }
}
