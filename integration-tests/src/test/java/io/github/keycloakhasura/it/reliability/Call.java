package io.github.keycloakhasura.it.reliability;

/**
 * One request of the {@link MixedTraffic}, as its client saw it: when it ran (milliseconds since the load started),
 * which node answered (the one retried on, after a connection error on the first), the HTTP status ({@code -1}: no
 * answer), and whether it did its job.
 *
 * @param retriedFrom the node whose connection failed before the retry, or null
 * @param failure     what went wrong (null when {@code ok})
 */
public record Call(String operation, String node, long startMillis, long endMillis, int status, boolean ok,
                   String retriedFrom, String failure) {

    public long millis() {
        return endMillis - startMillis;
    }

    public boolean serverError() {
        return status >= 500;
    }

    /**
     * Refused as "temporarily unavailable, retry": HTTP 503, or a GraphQL answer whose first error is
     * {@code UNAVAILABLE} (how the extension answers while its database cannot be reached).
     */
    public boolean unavailable() {
        return !ok && (status == 503 || failure != null && failure.startsWith("GraphQL UNAVAILABLE:"));
    }

    /** Started before {@code atMillis} and ended after it. */
    public boolean inFlightAt(long atMillis) {
        return startMillis <= atMillis && endMillis >= atMillis;
    }
}
