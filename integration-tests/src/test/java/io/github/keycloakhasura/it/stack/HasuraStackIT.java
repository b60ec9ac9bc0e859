package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.MountableFile;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.github.keycloakhasura.it.stack.StackFiles.compose;
import static io.github.keycloakhasura.it.stack.StackFiles.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The seed article's flow through a real Hasura: PostgreSQL, Keycloak (the project's jars, the realm export) and
 * {@code hasura/graphql-engine} with hasura/metadata and hasura/migrations, each configured from
 * docker-compose.yml's own environment. Keycloak's {@code hasura-sync} delivers to that Hasura (reached by its compose
 * service name, as in the stack): the migrations' {@code users} and {@code organization_members} tables receive
 * sign-ups, profile changes, deletions and memberships ({@link SyncedRows}). Needs a Docker engine; without one every
 * test is reported skipped. Keycloak runs the image the Containerfile builds on ({@code -Dkeycloak.image} overrides it)
 * with the jars of this build. Run: {@code mvn -B verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false
 * -Dit.test=HasuraStackIT -Dfailsafe.failIfNoSpecifiedTests=false}.
 */
class HasuraStackIT {

    private static final String PASSWORD = "Stack-pass-123";
    /** The values .env would give the compose file. */
    private static final Map<String, String> ENV = Map.of(
            "POSTGRES_PASSWORD", "stack-it-postgres",
            "KEYCLOAK_DB_PASSWORD", "stack-it-keycloak-db",
            "HASURA_DB_PASSWORD", "stack-it-hasura-db",
            "HASURA_GRAPHQL_ADMIN_SECRET", "stack-it-hasura",
            "KEYCLOAK_ADMIN", KeycloakServer.ADMIN_USERNAME,
            "KEYCLOAK_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::[-?]([^}]*))?}");

    private static Network network;
    private static GenericContainer<?> postgres;
    private static KeycloakContainer keycloak;
    private static GenericContainer<?> hasura;
    private static KeycloakAdmin admin;
    /** Hasura's compose service: Keycloak's hasura-sync url names it (KC_SPI_EVENTS_LISTENER__HASURA_SYNC__URL). */
    private static final String HASURA_SERVICE = "graphql-engine";
    private static SyncedRows rows;

    private static final String NO_DOCKER = "no Docker engine here: the full stack (PostgreSQL, Keycloak, Hasura) needs one";
    private static boolean docker;

    @BeforeAll
    static void startStack() throws IOException {
        // An assumption here would abort the class without any test reported; each test reports itself skipped.
        docker = DockerClientFactory.instance().isDockerAvailable();
        if (!docker) {
            return;
        }
        network = Network.newNetwork();
        postgres = new GenericContainer<>(image("postgres"))
                .withNetwork(network).withNetworkAliases("postgres")
                .withEnv(environment("postgres"))
                .withCopyFileToContainer(MountableFile.forHostPath(root().resolve("docker/postgres/init-roles.sh"), 0755),
                        "/docker-entrypoint-initdb.d/10-roles.sh")
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)
                        .withStartupTimeout(Duration.ofMinutes(2)));
        postgres.start();

        List<File> jars;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("keycloak.providers.dir")))) {
            jars = files.filter(p -> p.toString().endsWith(".jar")).map(Path::toFile).toList();
        }
        keycloak = new KeycloakContainer(keycloakImage())
                .withAdminUsername(KeycloakServer.ADMIN_USERNAME)
                .withAdminPassword(KeycloakServer.ADMIN_PASSWORD)
                .withProviderLibsFrom(jars)
                .withCopyFileToContainer(MountableFile.forHostPath(root().resolve("realm-export/app-realm.json")),
                        "/opt/keycloak/data/import/app-realm.json")
                .withCustomCommand("--import-realm")
                .withStartupTimeout(Duration.ofMinutes(5));
        keycloak.withNetwork(network).withNetworkAliases("keycloak");
        environment("keycloak").forEach((k, v) -> {
            if (!k.startsWith("KC_BOOTSTRAP_ADMIN")) {
                keycloak.withEnv(k, v);
            }
        });
        keycloak.start();
        String keycloakUrl = keycloak.getAuthServerUrl().replaceAll("/$", "");
        admin = new KeycloakAdmin(new KeycloakServer() {
            @Override
            public String baseUrl() {
                return keycloakUrl;
            }

            @Override
            public String describe() {
                return "Keycloak container at " + keycloakUrl;
            }

            @Override
            public void close() {
            }
        });

        hasura = new GenericContainer<>(image(HASURA_SERVICE))
                .withNetwork(network).withNetworkAliases(HASURA_SERVICE)
                .withEnv(environment(HASURA_SERVICE))
                .withCopyFileToContainer(MountableFile.forHostPath(root().resolve("hasura/migrations")), "/hasura-migrations")
                .withCopyFileToContainer(MountableFile.forHostPath(root().resolve("hasura/metadata")), "/hasura-metadata")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/healthz").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(5)));
        hasura.start();
        rows = new SyncedRows(URI.create("http://" + hasura.getHost() + ":" + hasura.getMappedPort(8080) + "/v1/graphql"),
                ENV.get("HASURA_GRAPHQL_ADMIN_SECRET"), admin, keycloak::getLogs);
    }

    @BeforeEach
    void needsDocker() {
        assumeTrue(docker, NO_DOCKER);
    }

    @AfterAll
    static void stopStack() {
        for (AutoCloseable c : new AutoCloseable[]{hasura, keycloak, postgres, network}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort: the containers are removed by testcontainers' reaper anyway
                }
            }
        }
    }

    private static String image(String service) {
        return compose().at("/services/" + service + "/image").asText();
    }

    /**
     * The image the Containerfile builds on, at this build's Keycloak version (ContainerfileTest holds them equal); the
     * jars come from this build. Compose's own tag (keycloak-hasura:local) exists only after a `docker compose build`.
     */
    private static String keycloakImage() {
        return System.getProperty("keycloak.image", "quay.io/keycloak/keycloak:" + System.getProperty("keycloak.version"));
    }

    /** A service's environment from docker-compose.yml and docker-compose.override.yml with ${VAR}, ${VAR:-default} and ${VAR:?message} resolved. */
    private static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        // `docker compose up`: docker-compose.yml, then docker-compose.override.yml (JWT mode: Hasura's auth mode is there)
        List<Map.Entry<String, JsonNode>> entries = new java.util.ArrayList<>();
        compose().at("/services/" + service + "/environment").fields().forEachRemaining(entries::add);
        StackFiles.composeJwtMode().at("/services/" + service + "/environment").fields().forEachRemaining(entries::add);
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Matcher m = VARIABLE.matcher(e.getValue().asText());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String value = ENV.containsKey(m.group(1)) ? ENV.get(m.group(1))
                        : m.group(0).contains(":-") ? m.group(2) : "";
                m.appendReplacement(sb, Matcher.quoteReplacement(value));
            }
            m.appendTail(sb);
            env.put(e.getKey(), sb.toString());
        }
        return env;
    }

    private static Http.Response hasura(String query, Map<String, Object> variables, Map<String, String> headers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (variables != null) {
            body.put("variables", variables);
        }
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create("http://" + hasura.getHost() + ":" + hasura.getMappedPort(8080) + "/v1/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        headers.forEach(b::header);
        return Http.send(b);
    }

    private static JsonNode data(Http.Response r) {
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().path("errors").isMissingNode(), r.body());
        return r.json().get("data");
    }

    private static Map<String, String> bearer(String token, String role) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + token);
        if (role != null) {
            h.put("x-hasura-role", role);
        }
        return h;
    }

    /**
     * Sign-up through Hasura's remote schema, as the seed's app does; returns the login's token response once
     * hasura-sync has written the user's {@code users} row ({@code notes.owner_id} references it).
     */
    private static JsonNode signUpAndLogIn(String prefix) {
        String username = KeycloakAdmin.unique(prefix);
        String id = data(hasura("mutation($u: String!, $p: String!, $e: String!) { createUser(username: $u, password: $p, email: $e) { user { id } } }",
                Map.of("u", username, "p", PASSWORD, "e", username + "@example.test"), Map.of())).at("/createUser/user/id").asText();
        JsonNode login = data(hasura("mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p, scope: \"openid\") "
                        + "{ token refreshToken idToken payload } }",
                Map.of("u", username, "p", PASSWORD), Map.of())).get("tokenAuth");
        rows.awaitUser(id, "the sign-up of " + username, row -> true);
        return login;
    }

    @Test
    void deletingANoteNeedsAStepUpProof() {
        JsonNode login = signUpAndLogIn("stack-stepup");
        String token = login.get("token").asText();
        String id = data(hasura("mutation { insert_notes_one(object: {title: \"mine\", body: \"b\"}) { id } }", null,
                bearer(token, null))).at("/insert_notes_one/id").asText();
        Http.Response plain = hasura("mutation($id: uuid!) { delete_notes_by_pk(id: $id) { id } }", Map.of("id", id), bearer(token, null));
        assertTrue(plain.json().path("errors").isArray(), "no elevation, no delete: " + plain.body());
        String elevated = data(hasura("mutation($r: String!) { elevate(refreshToken: $r, password: \"" + PASSWORD + "\") { token } }",
                Map.of("r", login.get("refreshToken").asText()), Map.of())).at("/elevate/token").asText();
        assertEquals(id, data(hasura("mutation($id: uuid!) { delete_notes_by_pk(id: $id) { id } }", Map.of("id", id),
                bearer(elevated, null))).at("/delete_notes_by_pk/id").asText());
    }

    @Test
    void metadataIsConsistentWithTheServedSchema() throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + hasura.getHost() + ":" + hasura.getMappedPort(8080) + "/v1/metadata"))
                .header("Content-Type", "application/json")
                .header("X-Hasura-Admin-Secret", ENV.get("HASURA_GRAPHQL_ADMIN_SECRET"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"get_inconsistent_metadata\",\"args\":{}}"));
        Http.Response r = Http.send(b);
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.json().get("is_consistent").asBoolean(), r.body());
    }

    @Test
    void signUpLoginAndWhoamiThroughTheRemoteSchema() {
        JsonNode login = signUpAndLogIn("stack-signup");
        String token = login.get("token").asText();
        JsonNode me = data(hasura("{ whoami { id username } }", null, bearer(token, null))).get("whoami");
        assertEquals(Jwt.payload(token).get("sub").asText(), me.get("id").asText());
    }

    @Test
    void notesRowPermissionsKeepTwoUsersApartAndLetAManagerSeeAll() {
        String alice = signUpAndLogIn("stack-alice").get("token").asText();
        String bob = signUpAndLogIn("stack-bob").get("token").asText();
        JsonNode note = data(hasura("mutation { insert_notes_one(object: {title: \"alice's\", body: \"secret\"}) { id owner_id } }",
                null, bearer(alice, null))).get("insert_notes_one");
        assertEquals(Jwt.payload(alice).get("sub").asText(), note.get("owner_id").asText());
        String id = note.get("id").asText();

        assertEquals(1, data(hasura("{ notes { id } }", null, bearer(alice, null))).get("notes").size());
        assertEquals(0, data(hasura("{ notes { id } }", null, bearer(bob, null))).get("notes").size());
        assertTrue(data(hasura("mutation($id: uuid!) { update_notes_by_pk(pk_columns: {id: $id}, _set: {title: \"bob's\"}) { id } }",
                Map.of("id", id), bearer(bob, null))).get("update_notes_by_pk").isNull(), "bob cannot change alice's note");
        // Deleting needs X-Hasura-Auth-Elevated (step-up): without it Hasura refuses the request; bob deletes nothing.
        Http.Response bobDeletes = hasura("mutation($id: uuid!) { delete_notes_by_pk(id: $id) { id } }", Map.of("id", id), bearer(bob, null));
        assertTrue(bobDeletes.json().path("errors").isArray() || bobDeletes.json().at("/data/delete_notes_by_pk").isNull(), bobDeletes.body());

        String managerName = KeycloakAdmin.unique("stack-boss");
        String managerId = admin.createUser(managerName, PASSWORD, null);
        admin.addRealmRoles(managerId, "manager");
        String manager = data(hasura("mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }",
                Map.of("u", managerName, "p", PASSWORD), Map.of())).at("/tokenAuth/token").asText();
        JsonNode all = data(hasura("{ notes(where: {id: {_eq: \"" + id + "\"}}) { id title } users { id } }", null,
                bearer(manager, "manager")));
        assertEquals("alice's", all.at("/notes/0/title").asText());
        assertTrue(all.get("users").size() > 0);
        // The same manager as "user" sees only their own rows and has no users field.
        Http.Response asUser = hasura("{ users { id } }", null, bearer(manager, "user"));
        assertNotNull(asUser.json().get("errors"), asUser.body());
    }

    @Test
    void adminRoleIsRefused() {
        String token = signUpAndLogIn("stack-admin").get("token").asText();
        for (String query : List.of("{ notes { id } }", "{ users { id } }")) {
            Http.Response r = hasura(query, null, bearer(token, "admin"));
            assertNotNull(r.json().get("errors"), r.body());
            assertTrue(r.json().path("data").isMissingNode() || r.json().get("data").isNull(), r.body());
        }
    }

    @Test
    void anIdTokenIsRefusedAsBearer() {
        JsonNode login = signUpAndLogIn("stack-id");
        String idToken = login.path("idToken").asText(null);
        assertNotNull(idToken, "tokenAuth with scope openid returns an ID token: " + login);
        // Hasura takes any token of the issuer that carries its claims unless an audience sets access tokens apart:
        // the compose stack's JWT secret names the audience the realm export's access tokens carry.
        assertTrue(StackFiles.composeJwtSecret().hasNonNull("audience"), StackFiles.composeJwtSecret().toString());
        Http.Response r = hasura("{ notes { id } }", null, bearer(idToken, null));
        assertNotNull(r.json().get("errors"), r.body());
        assertFalse(r.body().contains("\"notes\":["), r.body());
    }

    /**
     * Issue 23's script role through Hasura: a user an admin granted the realm role {@code script} makes a personal
     * access token limited to it (elevated first), trades it for an access token, and with it reads and adds notes but
     * changes and deletes none, and cannot switch to {@code user}.
     */
    @Test
    void aScriptTokenReadsAndAddsNotesButChangesAndDeletesNone() {
        JsonNode login = signUpAndLogIn("stack-script");
        String userId = Jwt.payload(login.get("token").asText()).get("sub").asText();
        admin.addRealmRoles(userId, "script");
        String elevated = data(hasura("mutation($r: String!) { elevate(refreshToken: $r, password: \"" + PASSWORD + "\") { token } }",
                Map.of("r", login.get("refreshToken").asText()), Map.of())).at("/elevate/token").asText();
        String pat = data(hasura("mutation { createPersonalAccessToken(name: \"nightly\", roles: [\"script\"], expiresInDays: 7) { token roles } }",
                null, bearer(elevated, null))).at("/createPersonalAccessToken/token").asText();
        String script = data(hasura("mutation($t: String!) { tokenAuthWithPersonalAccessToken(token: $t) { token } }",
                Map.of("t", pat), Map.of())).at("/tokenAuthWithPersonalAccessToken/token").asText();

        String id = data(hasura("mutation { insert_notes_one(object: {title: \"from cron\", body: \"b\"}) { id owner_id } }", null,
                bearer(script, null))).at("/insert_notes_one/id").asText();
        assertEquals(1, data(hasura("{ notes { id } }", null, bearer(script, null))).get("notes").size());
        assertEquals(userId, data(hasura("{ whoami { id } }", null, bearer(script, null))).at("/whoami/id").asText());
        for (String field : List.of("delete_notes_by_pk", "update_notes_by_pk")) {
            String change = field.startsWith("delete") ? "mutation($id: uuid!) { delete_notes_by_pk(id: $id) { id } }"
                    : "mutation($id: uuid!) { update_notes_by_pk(pk_columns: {id: $id}, _set: {title: \"x\"}) { id } }";
            Http.Response r = hasura(change, Map.of("id", id), bearer(script, null));
            // Hasura's answer for a field the role's schema does not have (no such permission).
            assertEquals("validation-failed", r.json().at("/errors/0/extensions/code").asText(), r.body());
            assertTrue(r.json().at("/errors/0/message").asText().contains("'" + field + "' not found in type: 'mutation_root'"), r.body());
        }
        JsonNode kept = data(hasura("query($id: uuid!) { notes_by_pk(id: $id) { title } }", Map.of("id", id), bearer(script, null)));
        assertEquals("from cron", kept.at("/notes_by_pk/title").asText(), "the note is unchanged");
        Http.Response asUser = hasura("{ notes { id } }", null, bearer(script, "user"));
        assertEquals("access-denied", asUser.json().at("/errors/0/extensions/code").asText(),
                "a script token has no other role: " + asUser.body());
    }

    // --- hasura-sync (issue 24): Keycloak's changes arrive in the migrations' tables of this Hasura ---

    @Test
    void theMigrationsCreateTheTablesTheSyncWritesAndNotesNeedAUsersRow() {
        JsonNode tables = rows.asAdmin("{ app_users(limit: 1) { id username email email_verified first_name last_name enabled"
                + " created_at updated_at deleted_at } organization_members(limit: 1) { organization_id user_id created_at"
                + " updated_at deleted_at } }", null);
        assertTrue(tables.get("app_users").isArray() && tables.get("organization_members").isArray(), tables.toString());
        Http.Response orphan = rows.asAdminResponse(
                "mutation { insert_notes_one(object: {owner_id: \"no-such-user\", title: \"orphan\"}) { id } }", null);
        assertTrue(orphan.body().contains("Foreign key violation") && orphan.body().contains("notes_owner_id_fkey"),
                "notes.owner_id references users: " + orphan.body());
    }

    @Test
    void aSignUpArrivesAsTheUsersRowOfTheTokensSubjectAsKeycloakHasTheUser() {
        String token = signUpAndLogIn("stack-sync").get("token").asText();
        String id = Jwt.payload(token).get("sub").asText();
        JsonNode row = rows.awaitUser(id, "the sign-up", r -> true);
        JsonNode user = admin.user(id);
        assertEquals(id, row.get("id").asText());
        assertEquals(user.get("username").asText(), row.get("username").asText());
        assertEquals(user.get("email").asText(), row.get("email").asText());
        assertEquals(user.get("emailVerified").asBoolean(), row.get("email_verified").asBoolean());
        assertEquals(user.get("enabled").asBoolean(), row.get("enabled").asBoolean());
        assertTrue(row.get("enabled").asBoolean());
        assertTrue(row.get("deleted_at").isNull(), row.toString());
        assertFalse(row.get("created_at").isNull(), row.toString());
        // The app reads it as the user's own row (role user: app_users, filtered to x-hasura-user-id).
        JsonNode own = data(hasura("{ app_users { id username } }", null, bearer(token, null))).get("app_users");
        assertEquals(1, own.size(), own.toString());
        assertEquals(id, own.get(0).get("id").asText());
    }

    @Test
    void aProfileChangeThroughTheRemoteSchemaArrives() {
        String token = signUpAndLogIn("stack-sync-profile").get("token").asText();
        String id = Jwt.payload(token).get("sub").asText();
        data(hasura("mutation { updateAccount(firstName: \"Ada\", lastName: \"Lovelace\") { user { id } } }", null,
                bearer(token, null)));
        JsonNode row = rows.awaitUser(id, "the profile change",
                r -> "Ada".equals(r.path("first_name").asText()) && "Lovelace".equals(r.path("last_name").asText()));
        assertTrue(row.get("deleted_at").isNull(), row.toString());
    }

    @Test
    void deletingTheAccountThroughTheRemoteSchemaMarksTheUsersRowDeleted() {
        String action = "/authentication/required-actions/delete_account";
        JsonNode before = admin.call("GET", action, null).json();
        Map<String, Object> enabled = Http.JSON.convertValue(before, Map.class);
        enabled.put("enabled", true);
        assertEquals(204, admin.call("PUT", action, enabled).status());
        try {
            String token = signUpAndLogIn("stack-sync-delete").get("token").asText();
            String id = Jwt.payload(token).get("sub").asText();
            admin.addClientRoles(id, admin.clientUuid("account"), "delete-account");
            assertTrue(data(hasura("mutation($p: String!) { deleteAccount(password: $p) { success } }",
                    Map.of("p", PASSWORD), bearer(token, null))).at("/deleteAccount/success").asBoolean());
            assertEquals(404, admin.call("GET", "/users/" + id, null).status(), "the account is gone from Keycloak");
            // delete=soft (the default; compose sets no other): the row stays, marked deleted.
            JsonNode row = rows.awaitUser(id, "the account deletion", r -> !r.path("deleted_at").isNull());
            assertTrue(row.get("username").asText().startsWith("stack-sync-delete"), row.toString());
        } finally {
            admin.call("PUT", action, Http.JSON.convertValue(before, Map.class));
        }
    }

    @Test
    void anOrganizationJoinAndLeaveArriveInOrganizationMembers() {
        String alias = KeycloakAdmin.unique("stack-org");
        Http.Response created = admin.call("POST", "/organizations", Map.of("name", alias, "alias", alias,
                "domains", List.of(Map.of("name", alias + ".example"))));
        assertEquals(201, created.status(), created.toString());
        String org = created.header("Location").substring(created.header("Location").lastIndexOf('/') + 1);
        String id = admin.createUser(KeycloakAdmin.unique("stack-member"), PASSWORD, null);
        rows.awaitUser(id, "the admin's creation", r -> true);

        assertEquals(201, admin.call("POST", "/organizations/" + org + "/members", id).status());
        JsonNode joined = rows.awaitMembership(org, id, "the join", r -> r.path("deleted_at").isNull());
        assertEquals(id, joined.get("user_id").asText());

        assertEquals(204, admin.call("DELETE", "/organizations/" + org + "/members/" + id, null).status());
        rows.awaitMembership(org, id, "the leave", r -> !r.path("deleted_at").isNull());
    }
}
