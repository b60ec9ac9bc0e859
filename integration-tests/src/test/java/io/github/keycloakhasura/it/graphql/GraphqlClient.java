package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Talks to /realms/app/graphql as Hasura or a browser would, over plain HTTP. */
final class GraphqlClient {

    private final String url;

    GraphqlClient(KeycloakServer server) {
        this.url = server.realmUrl() + "/graphql";
    }

    String url() {
        return url;
    }

    Http.Response post(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return Http.json("POST", url, body, bearer);
    }

    Http.Response post(String query) {
        return post(query, null, null);
    }

    Http.Response raw(String method, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers != null) {
            headers.forEach(b::header);
        }
        return Http.send(b);
    }

    Http.Response get(String query, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).GET();
        if (headers != null) {
            headers.forEach(b::header);
        }
        return Http.send(b);
    }

    /** A 200 response without errors; returns {@code data}. */
    static JsonNode data(Http.Response response) {
        assertEquals(200, response.status(), response.toString());
        JsonNode json = response.json();
        assertTrue(json.path("errors").isMissingNode(), "unexpected errors: " + response.body());
        assertNotNull(json.get("data"), response.body());
        return json.get("data");
    }

    /** The single error of a response, checked for a code and for the absence of anything internal. */
    static JsonNode error(Http.Response response, String code) {
        JsonNode json = response.json();
        JsonNode errors = json.get("errors");
        assertNotNull(errors, "expected errors: " + response.body());
        assertEquals(1, errors.size(), response.body());
        JsonNode error = errors.get(0);
        assertEquals(code, error.path("extensions").path("code").asText(), response.body());
        noInternals(response.body());
        return error;
    }

    static void noInternals(String body) {
        for (String leak : new String[]{"Exception", "\tat ", "org.keycloak", "io.github", "java.", "graphql.execution"}) {
            assertFalse(body.contains(leak), "response leaks '" + leak + "': " + body);
        }
    }
}
