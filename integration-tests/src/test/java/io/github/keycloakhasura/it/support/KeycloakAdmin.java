package io.github.keycloakhasura.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.github.keycloakhasura.it.support.Http.params;

/** The admin REST API of the test server, used to arrange users, roles and clients (never to assert our code). */
public final class KeycloakAdmin {

    private final KeycloakServer server;
    private final String realm;
    private String token;
    private Instant tokenExpiry = Instant.EPOCH;

    public KeycloakAdmin(KeycloakServer server) {
        this(server, KeycloakServer.REALM);
    }

    /** The admin REST API of another realm of the test server (e.g. one made by {@link #importRealm}). */
    public KeycloakAdmin(KeycloakServer server, String realm) {
        this.server = server;
        this.realm = realm;
    }

    public synchronized String token() {
        if (Instant.now().isAfter(tokenExpiry)) {
            Http.Response r = Http.form(server.baseUrl() + "/realms/master/protocol/openid-connect/token",
                    params("grant_type", "password", "client_id", "admin-cli",
                            "username", KeycloakServer.ADMIN_USERNAME, "password", KeycloakServer.ADMIN_PASSWORD), null);
            if (r.status() != 200) {
                throw new IllegalStateException("admin login failed: " + r);
            }
            token = r.json().get("access_token").asText();
            tokenExpiry = Instant.now().plusSeconds(Math.max(5, r.json().get("expires_in").asLong() - 10));
        }
        return token;
    }

    public String adminUrl(String path) {
        return server.baseUrl() + "/admin/realms/" + realm + path;
    }

    public Http.Response call(String method, String path, Object body) {
        return Http.json(method, adminUrl(path), body, token());
    }

    private Http.Response ok(String method, String path, Object body) {
        Http.Response r = call(method, path, body);
        if (r.status() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r);
        }
        return r;
    }

    private static String idFromLocation(Http.Response r) {
        String location = r.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** A unique name, so tests never collide on the shared server. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates a user named {@code prefix} plus a unique suffix, with the password and realm roles; returns the username. */
    public String newUser(String prefix, String password, String... realmRoles) {
        String username = unique(prefix);
        String id = createUser(username, password, null);
        if (realmRoles.length > 0) {
            addRealmRoles(id, realmRoles);
        }
        return username;
    }

    public String createUser(String username, String password, Map<String, List<String>> attributes) {
        return createUser(username, password, true, attributes);
    }

    /** A user with this password and a verified (or not) email {@code <username>@example.test}; returns its id. */
    public String createUser(String username, String password, boolean emailVerified, Map<String, List<String>> attributes) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("email", username + "@example.test");
        user.put("emailVerified", emailVerified);
        user.put("firstName", "Test");
        user.put("lastName", "User");
        user.put("enabled", true);
        if (attributes != null && !attributes.isEmpty()) {
            user.put("attributes", attributes);
        }
        user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        return idFromLocation(ok("POST", "/users", user));
    }

    public JsonNode user(String id) {
        return ok("GET", "/users/" + id, null).json();
    }

    public void updateUser(String id, Map<String, Object> changes) {
        ok("PUT", "/users/" + id, changes);
    }

    public void addRealmRoles(String userId, String... roles) {
        ok("POST", "/users/" + userId + "/role-mappings/realm", realmRoles(roles));
    }

    /**
     * Adds realm roles to a client's role scope (Clients → client → Client scopes → Dedicated scope → Scope), as an
     * admin does for a Hasura role when the client's full scope is off (the export's hasura-app).
     */
    public void scopeRealmRoles(String clientId, String... roles) {
        ok("POST", "/clients/" + clientUuid(clientId) + "/scope-mappings/realm", realmRoles(roles));
    }

    /** The representations of these realm roles, as the role-mapping and scope-mapping endpoints take them. */
    private List<JsonNode> realmRoles(String... roles) {
        List<JsonNode> reps = new ArrayList<>();
        for (String role : roles) {
            reps.add(ok("GET", "/roles/" + role, null).json());
        }
        return reps;
    }

    public void createRealmRole(String name, String... compositeRealmRoles) {
        ok("POST", "/roles", Map.of("name", name));
        if (compositeRealmRoles.length > 0) {
            ok("POST", "/roles/" + name + "/composites", realmRoles(compositeRealmRoles));
        }
    }

    public void createClientRole(String clientUuid, String name) {
        ok("POST", "/clients/" + clientUuid + "/roles", Map.of("name", name));
    }

    public void addClientRoles(String userId, String clientUuid, String... roles) {
        List<JsonNode> reps = new ArrayList<>();
        for (String role : roles) {
            reps.add(ok("GET", "/clients/" + clientUuid + "/roles/" + role, null).json());
        }
        ok("POST", "/users/" + userId + "/role-mappings/clients/" + clientUuid, reps);
    }

    public String createGroup(String name) {
        return idFromLocation(ok("POST", "/groups", Map.of("name", name)));
    }

    public String createSubGroup(String parentId, String name) {
        return idFromLocation(ok("POST", "/groups/" + parentId + "/children", Map.of("name", name)));
    }

    public void joinGroup(String userId, String groupId) {
        ok("PUT", "/users/" + userId + "/groups/" + groupId, null);
    }

    /**
     * A public client with direct access grants whose only custom mapper is a Hasura claims mapper with
     * {@code mapperConfig}; returns the client's internal id.
     */
    public String createClientWithHasuraMapper(String clientId, Map<String, String> mapperConfig,
                                               Map<String, String> clientAttributes) {
        return createClient(clientId, List.of(hasuraMapper("hasura-claims", mapperConfig)), clientAttributes);
    }

    /** A public client with direct access grants and the given protocol mappers; returns the client's internal id. */
    public String createClient(String clientId, List<Map<String, Object>> mappers, Map<String, String> clientAttributes) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("publicClient", true);
        client.put("directAccessGrantsEnabled", true);
        client.put("standardFlowEnabled", false);
        client.put("fullScopeAllowed", true);
        client.put("attributes", clientAttributes == null ? Map.of() : clientAttributes);
        client.put("protocolMappers", mappers);
        return idFromLocation(ok("POST", "/clients", client));
    }

    public static Map<String, Object> hasuraMapper(String name, Map<String, String> config) {
        Map<String, String> full = new LinkedHashMap<>(Map.of(
                "access.token.claim", "true",
                "id.token.claim", "true",
                "userinfo.token.claim", "true",
                "introspection.token.claim", "true"));
        full.putAll(config);
        return Map.of("name", name, "protocol", "openid-connect", "protocolMapper", "hasura-claims-mapper", "config", full);
    }

    /** Keycloak's audience mapper, putting {@code audienceClientId} into access tokens' {@code aud}. */
    public static Map<String, Object> audienceMapper(String audienceClientId) {
        return Map.of("name", "audience-" + audienceClientId, "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper", "config", Map.of(
                        "included.client.audience", audienceClientId,
                        "access.token.claim", "true",
                        "introspection.token.claim", "true"));
    }

    /** A confidential client allowed to call token introspection; returns its secret. */
    public String createConfidentialClient(String clientId) {
        String secret = UUID.randomUUID().toString();
        ok("POST", "/clients", Map.of(
                "clientId", clientId,
                "publicClient", false,
                "secret", secret,
                "serviceAccountsEnabled", true,
                "standardFlowEnabled", false,
                "directAccessGrantsEnabled", false));
        return secret;
    }

    /**
     * The client {@code clientId} (public, direct access grants), created with {@code mappers}, {@code attributes} and
     * {@code fullScopeAllowed} when absent (the allowed clients of the test server have fixed names, see
     * {@link KeycloakExtension}); returns its internal id.
     */
    public synchronized String ensureClient(String clientId, List<Map<String, Object>> mappers, Map<String, String> attributes,
                                            boolean fullScopeAllowed) {
        JsonNode found = ok("GET", "/clients?clientId=" + clientId, null).json();
        if (!found.isEmpty()) {
            return found.get(0).get("id").asText();
        }
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("publicClient", true);
        client.put("directAccessGrantsEnabled", true);
        client.put("standardFlowEnabled", false);
        client.put("fullScopeAllowed", fullScopeAllowed);
        client.put("attributes", attributes == null ? Map.of() : attributes);
        client.put("protocolMappers", mappers);
        return idFromLocation(ok("POST", "/clients", client));
    }

    public String clientUuid(String clientId) {
        JsonNode found = ok("GET", "/clients?clientId=" + clientId, null).json();
        return found.get(0).get("id").asText();
    }

    public JsonNode realm() {
        return ok("GET", "", null).json();
    }

    /** Creates a realm from a full representation (e.g. an edited copy of realm-export/app-realm.json). */
    /**
     * Runs {@code body} with the {@code max_auth_age} (seconds) of the realm's required action {@code alias} set, as an
     * admin sets it under Authentication &gt; Required actions; then puts the old configuration back.
     */
    public void withMaxAuthAge(String alias, int seconds, Runnable body) {
        String path = "/authentication/required-actions/" + alias + "/config";
        Http.Response before = ok("GET", path, null);
        Map<String, Object> config = new LinkedHashMap<>();
        if (!before.body().isEmpty()) {
            before.json().path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        }
        Map<String, Object> changed = new LinkedHashMap<>(config);
        changed.put("max_auth_age", String.valueOf(seconds));
        ok("PUT", path, Map.of("config", changed));
        try {
            body.run();
        } finally {
            ok("PUT", path, Map.of("config", config));
        }
    }

    public void importRealm(JsonNode representation) {
        Http.Response r = Http.json("POST", server.baseUrl() + "/admin/realms", representation, token());
        if (r.status() != 201) {
            throw new IllegalStateException("realm import -> " + r);
        }
    }

    /** Deletes this admin's realm. */
    public void deleteRealm() {
        ok("DELETE", "", null);
    }
}
