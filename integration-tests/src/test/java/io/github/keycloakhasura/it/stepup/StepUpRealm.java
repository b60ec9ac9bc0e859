package io.github.keycloakhasura.it.stepup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.support.ExportRealms;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A realm of its own made from the real export (client {@code hasura-app}, its Hasura mapper), with brute-force
 * detection on and the mapper's elevation window set; GraphQL, webhook and admin calls against it.
 */
final class StepUpRealm {

    static final String NS = "https://hasura.io/jwt/claims";
    static final String ELEVATED = "x-hasura-auth-elevated";
    static final String PASSWORD = "Step-up-pass-123";
    static final String LOGIN = "mutation($u: String!, $p: String!, $otp: String) { tokenAuth(username: $u, password: $p, otp: $otp) "
            + "{ token refreshToken } }";
    static final String ELEVATE = "mutation($r: String!, $p: String, $otp: String, $pk: JSON) { elevate(refreshToken: $r, "
            + "password: $p, otp: $otp, passkey: $pk) { token refreshToken payload } }";
    static final String REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }";

    final KeycloakServer server;
    final String name;
    final KeycloakAdmin admin;

    private StepUpRealm(KeycloakServer server, String name, KeycloakAdmin admin) {
        this.server = server;
        this.name = name;
        this.admin = admin;
    }

    /** A new realm; {@code elevationWindow} null leaves the mapper's default. */
    static StepUpRealm create(KeycloakServer server, String prefix, String elevationWindow) throws IOException {
        return create(server, prefix, elevationWindow == null ? Map.of() : Map.of("hasura.elevation-window", elevationWindow));
    }

    /** A new realm whose Hasura mapper has {@code mapperOptions} on top of the export's. */
    static StepUpRealm create(KeycloakServer server, String prefix, Map<String, String> mapperOptions) throws IOException {
        String name = unique(prefix);
        ObjectNode export = ExportRealms.copyNamed(name);
        export.put("bruteForceProtected", true);
        export.put("failureFactor", 30);
        if (!mapperOptions.isEmpty()) {
            boolean found = false;
            for (JsonNode holder : Iterables.of(export.path("clientScopes"), export.path("clients"))) {
                for (JsonNode mapper : holder.path("protocolMappers")) {
                    if ("hasura-claims-mapper".equals(mapper.path("protocolMapper").asText())) {
                        mapperOptions.forEach(((ObjectNode) mapper.get("config"))::put);
                        found = true;
                    }
                }
            }
            assertTrue(found, "the export has a Hasura mapper");
        }
        KeycloakAdmin admin = new KeycloakAdmin(server, name);
        admin.importRealm(export);
        return new StepUpRealm(server, name, admin);
    }

    void delete() {
        admin.deleteRealm();
    }

    String url(String path) {
        return server.baseUrl() + "/realms/" + name + path;
    }

    /** A user with realm role user (the default role); returns [id, username]. */
    String[] user() {
        String username = unique("stepup");
        String id = admin.createUser(username, PASSWORD, null);
        return new String[] {id, username};
    }

    Http.Response graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return Http.json("POST", url("/graphql"), body, bearer);
    }

    /** A 200 answer without errors: its {@code data}. */
    static JsonNode data(Http.Response r) {
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().path("errors").isMissingNode(), r.body());
        return r.json().get("data");
    }

    /** An answer whose first error has {@code code}: that error. */
    static JsonNode error(Http.Response r, String code) {
        JsonNode errors = r.json().path("errors");
        assertTrue(errors.isArray() && !errors.isEmpty(), r.toString());
        assertEquals(code, errors.get(0).at("/extensions/code").asText(), r.body());
        return errors.get(0);
    }

    JsonNode login(String username, String otp) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("u", username);
        vars.put("p", PASSWORD);
        vars.put("otp", otp);
        return data(graphql(LOGIN, vars, null)).get("tokenAuth");
    }

    Http.Response elevate(String refreshToken, String password, String otp, Object passkey) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("r", refreshToken);
        vars.put("p", password);
        vars.put("otp", otp);
        vars.put("pk", passkey);
        return graphql(ELEVATE, vars, null);
    }

    JsonNode refresh(String refreshToken) {
        return data(graphql(REFRESH, Map.of("r", refreshToken), null)).get("refreshToken");
    }

    Http.Response webhook(String bearer) {
        return webhook(bearer, null);
    }

    /** The webhook, GET mode, with {@code X-Hasura-Role} when {@code role} is not null. */
    Http.Response webhook(String bearer, String role) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/hasura/webhook"))).GET().header("Authorization", "Bearer " + bearer);
        if (role != null) {
            b.header("X-Hasura-Role", role);
        }
        return Http.send(b);
    }

    /** elevate with the password: the elevated tokens. */
    JsonNode elevated(String username) {
        JsonNode login = login(username, null);
        return data(elevate(login.get("refreshToken").asText(), PASSWORD, null, null)).get("elevate");
    }

    static final String CREATE_PAT = "mutation($n: String!, $r: [String!], $d: Int!) { createPersonalAccessToken(name: $n, "
            + "roles: $r, expiresInDays: $d) { id name token roles expiresAt } }";
    static final String PAT_LOGIN = "mutation($t: String!) { tokenAuthWithPersonalAccessToken(token: $t) { token refreshToken payload } }";

    Http.Response createPat(String bearer, String name, java.util.List<String> roles, int days) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("n", name);
        vars.put("r", roles);
        vars.put("d", days);
        return graphql(CREATE_PAT, vars, bearer);
    }

    Http.Response patLogin(String pat) {
        return graphql(PAT_LOGIN, Map.of("t", pat), null);
    }

    /** Failed logins Keycloak's brute-force protector counts for the user. */
    int failures(String userId) {
        return admin.call("GET", "/attack-detection/brute-force/users/" + userId, null).json().path("numFailures").asInt();
    }

    /**
     * The user's failed logins once they reach {@code expected}, or after 10 s: Keycloak's brute-force protector records
     * a failure on its own executor, after the answer.
     */
    int failures(String userId, int expected) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        int failures = failures(userId);
        while (failures < expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            failures = failures(userId);
        }
        return failures;
    }

    /** Tiny helper: iterate several JSON arrays. */
    static final class Iterables {
        static java.util.List<JsonNode> of(JsonNode... arrays) {
            java.util.List<JsonNode> result = new java.util.ArrayList<>();
            for (JsonNode array : arrays) {
                array.forEach(result::add);
            }
            return result;
        }
    }
}
