package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.Http.params;

/**
 * A realm of its own for the account-email tests (realm-export/app-realm.json under another name), so that its
 * switches (verify email, forgot password, action-token lifespan) never touch the shared {@code app} realm: SMTP at
 * the test's {@link Mailbox}, events stored, the client's root URL as the app URL of the links.
 */
final class EmailRealm implements AutoCloseable {

    static final String APP_URL = "http://app.example.test";

    private final KeycloakServer server;
    private final KeycloakAdmin admin;
    private final String name;

    EmailRealm(KeycloakServer server, int smtpPort) throws IOException {
        this.server = server;
        this.admin = new KeycloakAdmin(server);
        this.name = KeycloakAdmin.unique("email");
        ObjectNode realm = (ObjectNode) Http.JSON.readTree(Files.readString(
                Path.of(Harness.requiredProperty("project.root"), "realm-export", "app-realm.json")));
        realm.put("realm", name);
        realm.remove("id");
        realm.put("eventsEnabled", true);
        realm.putPOJO("smtpServer", Map.of("host", "127.0.0.1", "port", String.valueOf(smtpPort),
                "from", "noreply@example.test", "fromDisplayName", "App", "auth", "false", "ssl", "false", "starttls", "false"));
        for (JsonNode client : (ArrayNode) realm.get("clients")) {
            if ("hasura-app".equals(client.path("clientId").asText())) {
                ((ObjectNode) client).put("rootUrl", APP_URL);
            }
        }
        Http.Response r = Http.json("POST", server.baseUrl() + "/admin/realms", realm, admin.token());
        if (r.status() != 201) {
            throw new IllegalStateException("realm import failed: " + r);
        }
    }

    String name() {
        return name;
    }

    Http.Response admin(String method, String path, Object body) {
        return Http.json(method, server.baseUrl() + "/admin/realms/" + name + path, body, admin.token());
    }

    JsonNode adminOk(String method, String path, Object body) {
        Http.Response r = admin(method, path, body);
        if (r.status() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r);
        }
        return r.body().isEmpty() ? null : r.json();
    }

    /** Changes realm settings for the duration of {@code body}, then puts the old values back. */
    void withRealmSettings(Map<String, Object> changes, Runnable body) {
        JsonNode before = adminOk("GET", "", null);
        Map<String, Object> restore = new LinkedHashMap<>();
        changes.keySet().forEach(key -> restore.put(key, before.get(key)));
        adminOk("PUT", "", changes);
        try {
            body.run();
        } finally {
            adminOk("PUT", "", restore);
        }
    }

    /** A user with this password and a verified (or not) email {@code <username>@example.test}; returns its id. */
    String createUser(String username, String password, boolean emailVerified) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("email", username + "@example.test");
        user.put("emailVerified", emailVerified);
        user.put("firstName", "Test");
        user.put("lastName", "User");
        user.put("enabled", true);
        user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        Http.Response r = admin("POST", "/users", user);
        if (r.status() != 201) {
            throw new IllegalStateException("user creation failed: " + r);
        }
        String location = r.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    JsonNode user(String id) {
        return adminOk("GET", "/users/" + id, null);
    }

    /** Stored events of the user, newest first. */
    JsonNode events(String userId, String type) {
        return adminOk("GET", "/events?user=" + userId + "&type=" + type, null);
    }

    JsonNode eventsOfType(String type) {
        return adminOk("GET", "/events?type=" + type + "&max=1000", null);
    }

    Http.Response graphql(String query, Map<String, Object> variables) {
        return graphql(query, variables, null);
    }

    /** A GraphQL request with {@code Authorization: Bearer {bearer}} (none when null). */
    Http.Response graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return Http.json("POST", server.baseUrl() + "/realms/" + name + "/graphql", body, bearer);
    }

    /** An access token of {@code hasura-app} from Keycloak's password grant (a new user session). */
    String accessToken(String username, String password) {
        Http.Response r = passwordGrant(username, password);
        if (r.status() != 200) {
            throw new IllegalStateException("login failed: " + r);
        }
        return r.json().get("access_token").asText();
    }

    /**
     * Runs {@code body} with the {@code max_auth_age} (seconds) of the realm's required action {@code alias} set, as an
     * admin sets it under Authentication &gt; Required actions; then puts the old configuration back.
     */
    void withMaxAuthAge(String alias, int seconds, Runnable body) {
        String path = "/authentication/required-actions/" + alias + "/config";
        JsonNode before = adminOk("GET", path, null);
        Map<String, Object> config = new LinkedHashMap<>();
        if (before != null && before.has("config")) {
            before.get("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        }
        Map<String, Object> changed = new LinkedHashMap<>(config);
        changed.put("max_auth_age", String.valueOf(seconds));
        adminOk("PUT", path, Map.of("config", changed));
        try {
            body.run();
        } finally {
            adminOk("PUT", path, Map.of("config", config));
        }
    }

    /** The user's stored credentials (admin view: id, type, label, created date; never the secret). */
    JsonNode credentials(String userId) {
        return adminOk("GET", "/users/" + userId + "/credentials", null);
    }

    /** A GraphQL request with {@code bearer} as the Authorization bearer token. */
    Http.Response graphqlAs(String bearer, String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return Http.json("POST", server.baseUrl() + "/realms/" + name + "/graphql", body, bearer);
    }

    Http.Response passwordGrant(String username, String password) {
        return Http.form(server.baseUrl() + "/realms/" + name + "/protocol/openid-connect/token",
                params("grant_type", "password", "client_id", "hasura-app", "username", username, "password", password), null);
    }

    @Override
    public void close() {
        Http.json("DELETE", server.baseUrl() + "/admin/realms/" + name, null, admin.token());
    }
}
