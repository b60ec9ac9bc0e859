package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Raw requests for the hostile-input tests, and the one rule every answer must obey. */
final class Hostile {

    /** Text that must never appear in an answer: stack traces and exception names. */
    static final List<String> LEAKS = List.of("Exception", "at org.", "at io.", "at java.", "\tat ", "graphql.execution",
            "io.github.keycloakhasura", "org.keycloak.");

    static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private Hostile() {
    }

    /** Any request: method, optional body bytes, headers as name/value pairs (repeatable). */
    static Http.Response send(String method, String url, byte[] body, List<String[]> headers) {
        // Generous: fifty concurrent logins hash fifty passwords on a small, shared machine (GraphqlLoadIT).
        return exchange(CLIENT, Duration.ofSeconds(180), method, url, body, headers);
    }

    /** Like {@link #send}, on a fresh connection that is not shared with later requests. */
    static Http.Response sendAlone(String method, String url, byte[] body, List<String[]> headers) {
        HttpClient alone = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        return exchange(alone, Duration.ofSeconds(60), method, url, body, headers);
    }

    private static Http.Response exchange(HttpClient client, Duration timeout, String method, String url, byte[] body,
                                          List<String[]> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(h -> b.header(h[0], h[1]));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Http.Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Http.Response postJson(String url, String json, String... headerPairs) {
        List<String[]> headers = new java.util.ArrayList<>();
        headers.add(new String[]{"Content-Type", "application/json"});
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.add(new String[]{headerPairs[i], headerPairs[i + 1]});
        }
        return send("POST", url, json.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** The first problem with an answer, or null: a 5xx, leaked internals, an INTERNAL error, a non-JSON error. */
    static String problem(Http.Response r) {
        if (r.status() >= 500) {
            return "status " + r.status();
        }
        for (String leak : LEAKS) {
            if (r.body().contains(leak)) {
                return "body contains '" + leak + "'";
            }
        }
        if (r.body().contains("\"INTERNAL\"")) {
            return "an INTERNAL error";
        }
        String type = r.header("Content-Type");
        if (r.status() != 200 && r.status() != 405 && type != null && type.contains("json")) {
            try {
                JsonNode json = Http.JSON.readTree(r.body());
                if (json.path("errors").path(0).path("extensions").path("code").asText().isEmpty()
                        && json.path("error").isMissingNode()) {
                    return "an error without extensions.code";
                }
            } catch (IOException e) {
                return "a body that is not JSON although the Content-Type says so";
            }
        }
        return null;
    }

    /** Asserts the answer is clean (see {@link #problem}). */
    static Http.Response clean(Http.Response r, String what) {
        String problem = problem(r);
        if (problem != null) {
            fail(what + ": " + problem + " -> " + r);
        }
        return r;
    }

    /** The {@code extensions.code} of the first error, asserting the answer is clean and has one. */
    static String code(Http.Response r, String what) {
        clean(r, what);
        JsonNode errors = r.json().path("errors");
        assertTrue(errors.isArray() && errors.size() > 0, what + ": expected errors -> " + r);
        return errors.get(0).path("extensions").path("code").asText();
    }

    /** Keycloak's brute-force record of a user (numFailures, disabled, …). */
    static JsonNode bruteForce(KeycloakAdmin admin, String userId) {
        return admin.call("GET", "/attack-detection/brute-force/users/" + userId, null).json();
    }

    static String userId(KeycloakAdmin admin, String username) {
        return admin.call("GET", "/users?exact=true&username=" + username, null).json().get(0).get("id").asText();
    }

    /** Polls until the user's failure count reaches {@code expected} (Keycloak records failures asynchronously). */
    static int awaitFailures(KeycloakAdmin admin, String userId, int expected) {
        int seen = -1;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            seen = bruteForce(admin, userId).path("numFailures").asInt();
            if (seen >= expected) {
                return seen;
            }
            sleep(100);
        }
        return seen;
    }

    static void sleep(long millis) {
        io.github.keycloakhasura.it.support.Harness.sleep(millis);
    }

    static Map<String, Object> vars(Object... keyValues) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
