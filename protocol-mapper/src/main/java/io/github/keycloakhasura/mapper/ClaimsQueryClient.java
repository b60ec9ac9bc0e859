package io.github.keycloakhasura.mapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Sends one claims query to Hasura (JDK {@link HttpClient}): a POST of {@code {query, variables: {id}}} with the
 * service account's bearer token, answered within the configured timeout (connection, response and body together) and
 * at most {@link #MAX_ANSWER_BYTES}. One instance per node, shared by every request (the client is thread-safe).
 */
public final class ClaimsQueryClient {

    /** Hasura's answer to a claims query is a few fields: anything larger is refused. */
    public static final int MAX_ANSWER_BYTES = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<HttpClient> factory;
    /** Made on the first claims query: a node without one runs no HTTP client thread. */
    private volatile HttpClient http;

    public ClaimsQueryClient(Supplier<HttpClient> factory) {
        this.factory = factory;
    }

    public static ClaimsQueryClient create() {
        return new ClaimsQueryClient(() -> HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(java.time.Duration.ofMillis(ClaimsQueryOptions.MAX_TIMEOUT_MS))
                .build());
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                client = http;
                if (client == null) {
                    client = factory.get();
                    http = client;
                }
            }
        }
        return client;
    }

    /**
     * The answer's JSON for user {@code userId}.
     *
     * @param bearer the service account's access token (sent as {@code Authorization: Bearer})
     * @throws ClaimsQueryFailure on a timeout, a connection or HTTP error, a body too large or not JSON
     */
    public JsonNode send(ClaimsQueryOptions options, String userId, String bearer) throws ClaimsQueryFailure {
        HttpRequest request = HttpRequest.newBuilder(options.url())
                .timeout(options.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + bearer)
                .POST(HttpRequest.BodyPublishers.ofString(body(options, userId), StandardCharsets.UTF_8))
                .build();
        CompletableFuture<HttpResponse<InputStream>> call = http().sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        CompletableFuture<byte[]> answer = call.thenApply(ClaimsQueryClient::read);
        byte[] bytes;
        try {
            bytes = answer.get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            answer.cancel(true);
            throw timeout(options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClaimsQueryFailure("The claims query was interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof UncheckedIOException io ? io.getCause() : e.getCause();
            if (cause instanceof ClaimsQueryFailure failure) {
                throw failure;
            }
            if (cause instanceof HttpTimeoutException) {
                // The request's own timeout (the same deadline) fired first.
                throw timeout(options);
            }
            if (cause instanceof BadAnswer bad) {
                throw new ClaimsQueryFailure(bad.getMessage());
            }
            throw new ClaimsQueryFailure("The claims query could not reach Hasura", String.valueOf(cause));
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ClaimsQueryFailure("Hasura's answer to the claims query is not JSON");
        }
    }

    private static ClaimsQueryFailure timeout(ClaimsQueryOptions options) {
        return new ClaimsQueryFailure("Hasura did not answer the claims query within " + options.timeout().toMillis() + " ms");
    }

    private static String body(ClaimsQueryOptions options, String userId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", options.query());
        body.put("variables", Map.of("id", userId));
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("claims query body", e);
        }
    }

    private static byte[] read(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new BadAnswer("Hasura answered the claims query with HTTP " + response.statusCode());
            }
            byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
            if (bytes.length > MAX_ANSWER_BYTES) {
                throw new BadAnswer("Hasura's answer to the claims query is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An answer refused while it is read (status, size), carried out of the response thread. */
    private static final class BadAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadAnswer(String message) {
            super(message, null, false, false);
        }
    }
}
