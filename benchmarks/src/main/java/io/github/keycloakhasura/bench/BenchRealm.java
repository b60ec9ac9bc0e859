package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the benchmark arranges. Before start: the import directory, realm {@code app} (the project's realm export)
 * and realm {@code app-large} (the same realm under another name), with their users in Keycloak's
 * {@code <realm>-users-N.json} files, imported at start-up. After start: the extra clients, through the admin API.
 */
final class BenchRealm {

    static final String PASSWORD = "Bench-pass-123";
    static final String LARGE_REALM = "app-large";
    /** Public client like hasura-app, plus an audience mapper so the introspector may introspect its tokens. */
    static final String AUDIENCE_CLIENT = "bench-app";
    static final String INTROSPECTOR = "bench-introspector";
    /** Two public clients that differ only in the hasura client scope (the mapper). */
    static final String WITH_MAPPER = "bench-hasura";
    static final String WITHOUT_MAPPER = "bench-plain";
    static final String SCOPE_WITHOUT_MAPPER = "hasura-without-mapper";
    static final String MANAGER = "bench-manager";
    private static final int USERS_PER_FILE = 5000;

    private final KeycloakServer server;
    private final KeycloakAdmin admin;
    private String introspectorSecret;

    BenchRealm(KeycloakServer server) {
        this.server = server;
        this.admin = new KeycloakAdmin(server);
    }

    String introspectorSecret() {
        return introspectorSecret;
    }

    KeycloakAdmin admin() {
        return admin;
    }

    KeycloakAdmin admin(String realmName) {
        return new KeycloakAdmin(server, realmName);
    }

    /** Users each load worker logs in with, in turn, for the login pair. */
    static final int LOGIN_USERS_PER_WORKER = 8;

    static String worker(int w) {
        return "bench-" + w;
    }

    static String loginUser(int w, int k) {
        return "bench-" + w + "-" + k;
    }

    // ------------------------------------------------------------------------------------------ before start

    /**
     * Writes the import directory: {@code app} with {@code workers} load users, the manager and seed users up to
     * {@code smallUsers}; {@code app-large} with the manager and seed users up to {@code largeUsers}. Passwords only
     * for the load users and the manager (import hashes them with the realm's policy).
     */
    static void writeImport(Path realmExport, Path dir, int workers, int smallUsers, int largeUsers, int hashIterations)
            throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        ObjectNode realm = (ObjectNode) Http.JSON.readTree(realmExport.toFile());
        if (hashIterations > 0) {
            String policy = realm.path("passwordPolicy").asText("");
            String extra = "hashIterations(" + hashIterations + ")";
            realm.put("passwordPolicy", policy.isBlank() ? extra : policy + " and " + extra);
        }
        realm.remove("users");
        Http.JSON.writeValue(dir.resolve("app-realm.json").toFile(), realm);
        List<Map<String, Object>> special = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            special.add(user(worker(w), true, false));
            for (int k = 0; k < LOGIN_USERS_PER_WORKER; k++) {
                special.add(user(loginUser(w, k), true, false));
            }
        }
        special.add(user(MANAGER, true, true));
        writeUsers(dir, KeycloakServer.REALM, special, smallUsers);

        realm.put("realm", LARGE_REALM);
        realm.put("displayName", "App (benchmark, " + largeUsers + " users)");
        Http.JSON.writeValue(dir.resolve(LARGE_REALM + "-realm.json").toFile(), realm);
        writeUsers(dir, LARGE_REALM, List.of(user(MANAGER, true, true)), largeUsers);
    }

    private static Map<String, Object> user(String username, boolean password, boolean manager) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("email", username + "@example.test");
        user.put("firstName", "Bench");
        user.put("lastName", "User");
        user.put("enabled", true);
        user.put("emailVerified", true);
        user.put("realmRoles", manager ? List.of("default-roles-app", "manager") : List.of("default-roles-app"));
        if (manager) {
            user.put("clientRoles", Map.of("realm-management", List.of("view-users")));
        }
        if (password) {
            user.put("credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)));
        }
        return user;
    }

    /** {@code <realm>-users-N.json}: the special users, then seed users up to {@code total}. */
    private static void writeUsers(Path dir, String realm, List<Map<String, Object>> special, int total) throws IOException {
        int written = 0;
        int seed = 0;
        for (int file = 0; written < total || file == 0; file++) {
            try (OutputStream out = Files.newOutputStream(dir.resolve(realm + "-users-" + file + ".json"));
                 JsonGenerator g = Http.JSON.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("realm", realm);
                g.writeArrayFieldStart("users");
                int inFile = 0;
                if (file == 0) {
                    for (Map<String, Object> user : special) {
                        Http.JSON.writeValue(g, user);
                        written++;
                        inFile++;
                    }
                }
                while (written < total && inFile < USERS_PER_FILE) {
                    String name = String.format("seed-%07d", seed++);
                    g.writeStartObject();
                    g.writeStringField("username", name);
                    g.writeStringField("email", name + "@example.test");
                    g.writeStringField("firstName", "Seed");
                    g.writeStringField("lastName", "User " + seed);
                    g.writeBooleanField("enabled", true);
                    g.writeBooleanField("emailVerified", true);
                    g.writeArrayFieldStart("realmRoles");
                    g.writeString("default-roles-app");
                    g.writeEndArray();
                    g.writeEndObject();
                    written++;
                    inFile++;
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        }
    }

    // ------------------------------------------------------------------------------------------ after start

    /** The introspector and the clients of the mapper comparison, in realm app. */
    void setUp() {
        introspectorSecret = admin.createConfidentialClient(INTROSPECTOR);
        List<String> scopes = new ArrayList<>();
        admin.call("GET", "/clients/" + admin.clientUuid(KeycloakServer.CLIENT_ID) + "/default-client-scopes", null)
                .json().forEach(scope -> scopes.add(scope.get("name").asText()));
        if (!scopes.contains("hasura")) {
            throw new IllegalStateException(KeycloakServer.CLIENT_ID + " has no hasura scope: " + scopes);
        }
        createPublicClient(AUDIENCE_CLIENT, scopes, List.of(KeycloakAdmin.audienceMapper(INTROSPECTOR)));
        createPublicClient(WITH_MAPPER, scopes, List.of());
        // The other side gets the same scopes, hasura's copied without the Hasura mapper (its audience mapper stays):
        // the two sides differ in that one mapper only.
        createScopeWithoutHasuraMapper();
        createPublicClient(WITHOUT_MAPPER, scopes.stream().map(s -> s.equals("hasura") ? SCOPE_WITHOUT_MAPPER : s).toList(),
                List.of());
    }

    /** {@value #SCOPE_WITHOUT_MAPPER}: the realm's {@code hasura} client scope without its Hasura claims mapper. */
    private void createScopeWithoutHasuraMapper() {
        String id = null;
        for (JsonNode scope : admin.call("GET", "/client-scopes", null).json()) {
            if ("hasura".equals(scope.get("name").asText())) {
                id = scope.get("id").asText();
            }
        }
        ObjectNode copy = (ObjectNode) admin.call("GET", "/client-scopes/" + id, null).json();
        copy.remove("id");
        copy.put("name", SCOPE_WITHOUT_MAPPER);
        ArrayNode mappers = copy.putArray("protocolMappers");
        for (JsonNode mapper : admin.call("GET", "/client-scopes/" + id, null).json().path("protocolMappers")) {
            if (!"hasura-claims-mapper".equals(mapper.path("protocolMapper").asText())) {
                ((ObjectNode) mapper).remove("id");
                mappers.add(mapper);
            }
        }
        ok(admin.call("POST", "/client-scopes", copy));
    }

    void createPublicClient(String clientId, List<String> defaultScopes, List<Map<String, Object>> mappers) {
        String uuid = admin.createClient(clientId, mappers, null);
        // Creation gives the realm's default scopes; make them exactly the wanted ones.
        for (JsonNode scope : admin.call("GET", "/clients/" + uuid + "/default-client-scopes", null).json()) {
            if (!defaultScopes.contains(scope.get("name").asText())) {
                ok(admin.call("DELETE", "/clients/" + uuid + "/default-client-scopes/" + scope.get("id").asText(), null));
            }
        }
        Map<String, String> ids = new LinkedHashMap<>();
        admin.call("GET", "/client-scopes", null).json().forEach(s -> ids.put(s.get("name").asText(), s.get("id").asText()));
        for (String name : defaultScopes) {
            ok(admin.call("PUT", "/clients/" + uuid + "/default-client-scopes/" + ids.get(name), null));
        }
    }

    /** Users of a realm, counted by Keycloak. */
    int userCount(String realm) {
        Http.Response r = ok(Http.get(server.baseUrl() + "/admin/realms/" + realm + "/users/count", admin.token()));
        return Integer.parseInt(r.body().trim());
    }

    /** A password grant that must succeed: the token response. */
    JsonNode login(String realm, String clientId, String username, String scope) {
        Map<String, String> form = Http.params("grant_type", "password", "client_id", clientId,
                "username", username, "password", PASSWORD);
        if (scope != null) {
            form.put("scope", scope);
        }
        return ok(Http.form(server.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token", form, null)).json();
    }

    static Http.Response ok(Http.Response r) {
        if (r.status() >= 300) {
            throw new IllegalStateException("call failed: " + r);
        }
        return r;
    }
}
