package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The HTTP requests of the pairs, and the scenarios that send them. */
final class Requests {

    private Requests() {
    }

    static boolean graphqlOk(String body) {
        // The engine writes "errors" before "data": a body that starts with data has no errors.
        return body.startsWith("{\"data\":{\"") && !body.contains("\"errors\"");
    }

    /** A set-up GraphQL answer that must succeed: its {@code data}. */
    static JsonNode data(Http.Response r) {
        if (r.status() != 200 || r.json().has("errors")) {
            throw new IllegalStateException("set-up call failed: " + r);
        }
        return r.json().get("data");
    }

    /** One request per worker. */
    static Load.Scenario side(List<HttpRequest> requests, Predicate<String> ok) {
        return rotating(requests.stream().map(List::of).toList(), ok);
    }

    /** Each worker cycles through its own list of requests. */
    static Load.Scenario rotating(List<List<HttpRequest>> perWorker, Predicate<String> ok) {
        return new Load.Scenario() {
            @Override
            public HttpRequest request(int worker, long n) {
                List<HttpRequest> own = perWorker.get(worker % perWorker.size());
                return own.get((int) (n % own.size()));
            }

            @Override
            public boolean ok(String body) {
                return ok.test(body);
            }
        };
    }

    static HttpRequest form(String url, Map<String, String> form, String authorization) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    static HttpRequest graphql(String url, String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (variables != null) {
            body.put("variables", variables);
        }
        String text;
        try {
            text = Http.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b.build();
    }

    static HttpRequest get(String url, String bearer) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + bearer).GET().build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
