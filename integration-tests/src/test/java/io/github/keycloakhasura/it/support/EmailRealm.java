package io.github.keycloakhasura.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.github.keycloakhasura.it.support.Http.params;

/**
 * The email fixture of the ITs: a realm of its own (realm-export/app-realm.json under another name), so that its
 * switches (verify email, forgot password, action-token lifespan) never touch the shared {@code app} realm, with its
 * own {@link Mailbox} (GreenMail) as SMTP server, events stored, and the client's root URL as the app URL of the links.
 * A JUnit extension of the test class, on the server of {@link KeycloakExtension}:
 * <pre>{@code @RegisterExtension static final EmailRealm realm = new EmailRealm();}</pre>
 * starts the mailbox and imports the realm before the class's {@code @BeforeAll} methods, and deletes both after all.
 */
public final class EmailRealm implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    public static final String APP_URL = "http://app.example.test";

    private final String name = KeycloakAdmin.unique("email");
    private KeycloakServer server;
    private KeycloakAdmin admin;
    private Mailbox mailbox;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        open(KeycloakExtension.server(context));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void open(KeycloakServer keycloak) throws IOException {
        server = keycloak;
        mailbox = new Mailbox();
        ObjectNode realm = ExportRealms.copyNamed(name);
        realm.remove("id");
        realm.put("eventsEnabled", true);
        realm.putPOJO("smtpServer", mailbox.smtpServer());
        for (JsonNode client : (ArrayNode) realm.get("clients")) {
            if (KeycloakServer.CLIENT_ID.equals(client.path("clientId").asText())) {
                ((ObjectNode) client).put("rootUrl", APP_URL);
            }
        }
        KeycloakAdmin realmAdmin = new KeycloakAdmin(server, name);
        realmAdmin.importRealm(realm);
        admin = realmAdmin;
    }

    /** Where the realm's emails arrive. */
    public Mailbox mailbox() {
        return mailbox;
    }

    public String name() {
        return name;
    }

    /** The admin REST API of this realm. */
    public KeycloakAdmin admin() {
        return admin;
    }

    public Http.Response admin(String method, String path, Object body) {
        return admin.call(method, path, body);
    }

    public JsonNode adminOk(String method, String path, Object body) {
        Http.Response r = admin(method, path, body);
        if (r.status() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r);
        }
        return r.body().isEmpty() ? null : r.json();
    }

    /** Changes realm settings for the duration of {@code body}, then puts the old values back. */
    public void withRealmSettings(Map<String, Object> changes, Runnable body) {
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
    public String createUser(String username, String password, boolean emailVerified) {
        return admin.createUser(username, password, emailVerified, null);
    }

    public JsonNode user(String id) {
        return adminOk("GET", "/users/" + id, null);
    }

    /** Stored events of the user, newest first. */
    public JsonNode events(String userId, String type) {
        return adminOk("GET", "/events?user=" + userId + "&type=" + type, null);
    }

    public JsonNode eventsOfType(String type) {
        return adminOk("GET", "/events?type=" + type + "&max=1000", null);
    }

    public Http.Response graphql(String query, Map<String, Object> variables) {
        return graphql(query, variables, null);
    }

    /** A GraphQL request with {@code Authorization: Bearer {bearer}} (none when null). */
    public Http.Response graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return Http.json("POST", server.baseUrl() + "/realms/" + name + "/graphql", body, bearer);
    }

    /** An access token of {@code hasura-app} from Keycloak's password grant (a new user session). */
    public String accessToken(String username, String password) {
        Http.Response r = passwordGrant(username, password);
        if (r.status() != 200) {
            throw new IllegalStateException("login failed: " + r);
        }
        return r.json().get("access_token").asText();
    }

    /** {@link KeycloakAdmin#withMaxAuthAge} in this realm. */
    public void withMaxAuthAge(String alias, int seconds, Runnable body) {
        admin.withMaxAuthAge(alias, seconds, body);
    }

    /** The user's stored credentials (admin view: id, type, label, created date; never the secret). */
    public JsonNode credentials(String userId) {
        return adminOk("GET", "/users/" + userId + "/credentials", null);
    }

    /** A GraphQL request with {@code bearer} as the Authorization bearer token. */
    public Http.Response graphqlAs(String bearer, String query, Map<String, Object> variables) {
        return graphql(query, variables, bearer);
    }

    public Http.Response passwordGrant(String username, String password) {
        return Http.form(server.baseUrl() + "/realms/" + name + "/protocol/openid-connect/token",
                params("grant_type", "password", "client_id", "hasura-app", "username", username, "password", password), null);
    }

    /** Deletes the realm and stops the mailbox (whatever of them was started). */
    @Override
    public void close() {
        try {
            if (admin != null) {
                admin.call("DELETE", "", null);
            }
        } finally {
            if (mailbox != null) {
                mailbox.close();
            }
        }
    }
}
