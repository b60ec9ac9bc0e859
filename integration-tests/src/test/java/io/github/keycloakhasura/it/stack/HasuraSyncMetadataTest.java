package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.stack.RoleTables.Table;
import io.github.keycloakhasura.sync.Change;
import io.github.keycloakhasura.sync.HasuraMutations;
import io.github.keycloakhasura.sync.Membership;
import io.github.keycloakhasura.sync.SyncSettings;
import io.github.keycloakhasura.sync.UserSnapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.github.keycloakhasura.it.stack.StackFiles.compose;
import static io.github.keycloakhasura.it.stack.StackFiles.composeJwtSecret;
import static io.github.keycloakhasura.it.stack.StackFiles.realmExport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Offline (no Docker here): what Keycloak's {@code hasura-sync} sends, taken from the sync's own code
 * ({@link HasuraMutations#body}, every kind of change in both delete modes), is what hasura/migrations and
 * hasura/metadata let the role of the {@code hasura-sync} client's token do, by Hasura's rules ({@link SyncMutationRules});
 * and the compose stack's Keycloak reaches its Hasura with a token its JWT mode takes. HasuraStackIT runs the same
 * against a real Hasura where Docker exists.
 */
class HasuraSyncMetadataTest {

    private static final UserSnapshot FULL = new UserSnapshot("0b5c1b62-kc-user", "ada", "ada@example.test", true, "Ada",
            "Lovelace", true);
    /** A user with nothing optional: no email, no names, disabled. */
    private static final UserSnapshot SPARSE = new UserSnapshot("0b5c1b62-kc-user", "bob", null, false, null, null, false);

    /** Every request body the sync can send: each kind of change, for a full and a sparse user, in both delete modes. */
    static Map<String, JsonNode> everythingTheSyncSends() {
        Map<String, JsonNode> bodies = new LinkedHashMap<>();
        for (Change.Kind kind : Change.Kind.values()) {
            for (SyncSettings.DeleteMode mode : SyncSettings.DeleteMode.values()) {
                for (UserSnapshot user : List.of(FULL, SPARSE)) {
                    String payload = switch (kind) {
                        case UPSERT -> user.toJson();
                        case DELETE -> null;
                        case ORG_JOIN -> new Membership("7d3e-kc-organization", user).toJson();
                        case ORG_LEAVE -> new Membership("7d3e-kc-organization", null).toJson();
                    };
                    String body = HasuraMutations.body(kind, user.id(), payload, 1_767_225_600_000L, mode);
                    try {
                        bodies.put(kind + "/" + mode + "/" + user.username(), StackFiles.JSON.readTree(body));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return bodies;
    }

    /** The one Hasura role the hasura-sync client's tokens carry (its own Hasura mapper in the realm export). */
    static String syncRole() {
        JsonNode client = syncClient();
        JsonNode mapper = mapper(client, "hasura-claims-mapper");
        List<String> allowed = List.of(mapper.path("hasura.roles.allowed").asText().split(","));
        assertEquals(1, allowed.size(), "the sync's token carries one Hasura role: " + mapper);
        assertEquals(allowed.get(0), mapper.path("hasura.roles.fallback").asText(), mapper.toString());
        assertEquals("client", mapper.path("hasura.roles.source").asText(), mapper.toString());
        assertEquals(SyncSettings.DEFAULT_CLIENT_ID, mapper.path("hasura.roles.client").asText(), mapper.toString());
        // ...and the service account holds it (a client role of hasura-sync).
        boolean held = false;
        for (JsonNode user : realmExport().path("users")) {
            if (SyncSettings.DEFAULT_CLIENT_ID.equals(user.path("serviceAccountClientId").asText())) {
                for (JsonNode role : user.at("/clientRoles/" + SyncSettings.DEFAULT_CLIENT_ID)) {
                    held |= role.asText().equals(allowed.get(0));
                }
            }
        }
        assertTrue(held, "the service account of " + SyncSettings.DEFAULT_CLIENT_ID + " holds " + allowed.get(0));
        return allowed.get(0);
    }

    @Test
    void everyMutationTheSyncSendsIsOneHasuraOffersTheSyncsRoleWithTheseMigrationsAndPermissions() {
        String role = syncRole();
        Map<String, Table> tables = RoleTables.forRole(role);
        SyncMutationRules rules = new SyncMutationRules(tables);
        Map<String, JsonNode> bodies = everythingTheSyncSends();
        assertEquals(Change.Kind.values().length * 2 * 2, bodies.size());
        List<String> problems = new ArrayList<>();
        bodies.forEach((what, body) -> rules.problems(body).forEach(p -> problems.add(what + ": " + p)));
        assertEquals(List.of(), problems, "as role " + role);
        // The tables the sync writes are followed by RoleTables all the way (no ALTER it does not read).
        for (String table : List.of("users", "organization_members")) {
            assertEquals(List.of(), tables.get(table).unfollowedAlterations(), table);
        }
    }

    @Test
    void theSyncsRoleWritesNothingElse() {
        // keycloak_sync is a writer of the mirrored tables only: no other table gives it any permission.
        Set<String> touched = new TreeSet<>();
        RoleTables.forRole(syncRole()).values().forEach(t -> {
            if (t.insert() != null || t.select() != null || t.update() != null || t.delete() != null) {
                touched.add(t.name());
            }
        });
        assertEquals(Set.of("organization_members", "users"), touched);
    }

    @Test
    void theCheckRefusesWhatHasuraWouldRefuse() {
        // The rules are not vacuous: each of these, sent as the sync's role, is refused.
        SyncMutationRules rules = new SyncMutationRules(RoleTables.forRole(syncRole()));
        Map<String, String> refused = Map.of(
                "mutation($u: users_insert_input!) { insert_users_one(object: $u, on_conflict: {constraint: users_username_key,"
                        + " update_columns: [username]}) { id } }", "constraint",
                "mutation($u: users_insert_input!) { insert_users_one(object: $u, on_conflict: {constraint: users_pkey,"
                        + " update_columns: [created_at]}) { id } }", "users_update_column",
                "mutation($u: users_insert_input!) { insert_users_one(object: $u) { id email } }", "field 'email' not found",
                "mutation($id: uuid!) { delete_users_by_pk(id: $id) { id } }", "declared uuid!",
                "mutation($id: String!) { update_users_by_pk(pk_columns: {id: $id}, _set: {created_at: \"2026-01-01T00:00:00Z\"}) { id } }",
                "update permission",
                "mutation($id: String!) { delete_notes_by_pk(id: $id) { id } }", "not generated for the role");
        refused.forEach((query, why) -> {
            JsonNode body = StackFiles.JSON.createObjectNode().put("query", query)
                    .set("variables", StackFiles.JSON.valueToTree(query.contains("$u")
                            ? Map.of("u", Map.of("id", "x", "username", "y", "updated_at", "2026-01-01T00:00:00Z"))
                            : Map.of("id", "x")));
            List<String> problems = rules.problems(body);
            assertTrue(problems.stream().anyMatch(p -> p.contains(why)), query + " -> " + problems);
        });
        JsonNode extra = StackFiles.JSON.createObjectNode()
                .put("query", "mutation($id: String!) { delete_users_by_pk(id: $id) { id } }")
                .set("variables", StackFiles.JSON.valueToTree(Map.of("id", "x", "deleted_at", "2026-01-01T00:00:00Z")));
        assertTrue(rules.problems(extra).contains("unexpected variables in variableValues: deleted_at"), rules.problems(extra).toString());
    }

    @Test
    void composesKeycloakSendsToComposesHasuraWithATokenItsJwtModeTakes() {
        // KC_SPI_EVENTS_LISTENER__HASURA_SYNC__URL names the Hasura service and its container port on the compose network.
        URI url = URI.create(compose().at("/services/keycloak/environment/KC_SPI_EVENTS_LISTENER__HASURA_SYNC__URL").asText());
        assertTrue(compose().at("/services").has(url.getHost()), "no compose service " + url.getHost());
        assertTrue(compose().at("/services/" + url.getHost() + "/image").asText().startsWith("hasura/graphql-engine:"), url.toString());
        boolean containerPort = false;
        for (JsonNode port : compose().at("/services/" + url.getHost() + "/ports")) {
            containerPort |= port.asText().endsWith(":" + url.getPort());
        }
        assertTrue(containerPort, url + " is not the container port of " + url.getHost());
        assertEquals("/v1/graphql", url.getPath());
        assertFalse(compose().at("/services/keycloak/environment").has("KC_SPI_EVENTS_LISTENER__HASURA_SYNC__DELETE"),
                "the stack runs delete=soft, the default (HasuraStackIT expects deleted_at)");

        // The sync's token passes the compose JWT secret: same claims namespace and format, the audience it requires.
        JsonNode secret = composeJwtSecret();
        JsonNode client = syncClient();
        JsonNode claims = mapper(client, "hasura-claims-mapper");
        assertEquals(secret.get("claims_namespace").asText(), claims.path("claim.name").asText());
        assertEquals(secret.get("claims_format").asText(), claims.path("hasura.claims.format").asText());
        assertEquals("true", claims.path("access.token.claim").asText());
        JsonNode audience = mapper(client, "oidc-audience-mapper");
        assertEquals(secret.get("audience").asText(), audience.path("included.custom.audience").asText());
        assertEquals("true", audience.path("access.token.claim").asText());
        assertTrue(client.path("serviceAccountsEnabled").asBoolean() && !client.path("publicClient").asBoolean(), client.toString());
        List<String> listeners = new ArrayList<>();
        realmExport().path("eventsListeners").forEach(l -> listeners.add(l.asText()));
        assertTrue(listeners.contains("hasura-sync"), listeners.toString());
    }

    private static JsonNode syncClient() {
        for (JsonNode client : realmExport().path("clients")) {
            if (SyncSettings.DEFAULT_CLIENT_ID.equals(client.path("clientId").asText())) {
                return client;
            }
        }
        throw new AssertionError("the realm export has no client " + SyncSettings.DEFAULT_CLIENT_ID);
    }

    private static JsonNode mapper(JsonNode client, String type) {
        for (JsonNode m : client.path("protocolMappers")) {
            if (type.equals(m.path("protocolMapper").asText())) {
                return m.get("config");
            }
        }
        throw new AssertionError(client.path("clientId").asText() + " has no " + type + " mapper");
    }
}
