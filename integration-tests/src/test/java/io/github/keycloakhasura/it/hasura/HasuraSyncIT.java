package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.DistributionKeycloakServer;
import io.github.keycloakhasura.it.support.FakeHasura;
import io.github.keycloakhasura.it.support.FakeHasura.Received;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code hasura-sync} events listener (issue 24) on the real Keycloak, with an in-test server playing Hasura:
 * changes arrive once and in order, survive Hasura being down and a Keycloak restart, and a rolled-back change sends
 * nothing. Runs its own Keycloak (the listener's {@code url} is a server option), restarted once on the same database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HasuraSyncIT {

    private static final String PASSWORD = "Sync-pass-12";
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    /** How long Hasura stays down in the outage test (issue 24: 30 s); lower it locally with -Dsync.it.down.seconds. */
    private static final long DOWN_SECONDS = Long.getLong("sync.it.down.seconds", 30);
    private static final String CREATE_USER = "mutation($u: String!, $p: String!, $e: String!) { createUser(username: $u,"
            + " password: $p, email: $e, firstName: \"Ada\", lastName: \"First\") { user { id } token } }";
    private static final String UPDATE_ACCOUNT = "mutation { updateAccount(firstName: \"Grace\", lastName: \"Second\") { __typename } }";

    static FakeHasura hasura;
    static KeycloakServer keycloak;
    static KeycloakAdmin admin;

    @BeforeAll
    static void start() {
        hasura = new FakeHasura();
        keycloak = DistributionKeycloakServer.startPrivate("hasura-sync", options(), true);
        admin = new KeycloakAdmin(keycloak);
    }

    static List<String> options() {
        return List.of("--spi-events-listener--hasura-sync--url=" + hasura.url(),
                "--spi-events-listener--hasura-sync--max-backoff-seconds=2",
                "--spi-events-listener--hasura-sync--poll-interval-ms=250");
    }

    @AfterAll
    static void stop() {
        if (keycloak != null) {
            keycloak.close();
        }
        if (hasura != null) {
            hasura.close();
        }
    }

    @Test
    @Order(1)
    void signUpProfileChangeEmailChangeAndDeletionArriveOnceInOrder() throws Exception {
        String username = unique("sync");
        JsonNode created = graphql(CREATE_USER, Map.of("u", username, "p", PASSWORD, "e", username + "@example.test"), null)
                .get("createUser");
        String id = created.get("user").get("id").asText();
        graphql(UPDATE_ACCOUNT, Map.of(), created.get("token").asText());                     // user event UPDATE_PROFILE
        admin.updateUser(id, Map.of("email", username + "@new.example.test", "emailVerified", true)); // admin event UPDATE
        assertEquals(204, admin.call("DELETE", "/users/" + id, null).status());              // admin event DELETE

        List<Received> mine = awaitAccepted(id, 4);
        Harness.sleep(2000); // a duplicate would arrive meanwhile
        mine = hasura.received(r -> r.userId().equals(id));
        assertEquals(4, mine.size(), mine.toString());
        assertTrue(mine.stream().allMatch(Received::accepted));
        assertEquals(List.of("insert_users_one", "insert_users_one", "insert_users_one", "update_users_by_pk"),
                mine.stream().map(Received::operation).toList());

        JsonNode signedUp = mine.get(0).body().at("/variables/user");
        assertEquals(username, signedUp.get("username").asText());
        assertEquals(username + "@example.test", signedUp.get("email").asText());
        assertEquals("Ada", signedUp.get("first_name").asText());
        assertFalse(signedUp.get("email_verified").asBoolean());
        assertTrue(signedUp.get("enabled").asBoolean());
        assertEquals("Grace", mine.get(1).body().at("/variables/user/first_name").asText());
        assertEquals(username + "@example.test", mine.get(1).body().at("/variables/user/email").asText());
        assertEquals(username + "@new.example.test", mine.get(2).body().at("/variables/user/email").asText());
        assertTrue(mine.get(2).body().at("/variables/user/email_verified").asBoolean());
        assertEquals("Grace", mine.get(2).body().at("/variables/user/first_name").asText());
        assertTrue(mine.get(0).body().get("query").asText().contains("on_conflict: {constraint: users_pkey"));
        assertEquals(id, mine.get(3).body().at("/variables/id").asText());
        assertTrue(mine.get(3).body().at("/variables/deleted_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"));

        for (Received r : mine) {
            assertServiceAccountTokenHasuraAccepts(r.authorization());
        }
    }

    /** Keycloak's client-credentials token of hasura-sync: Hasura's JWT mode accepts it, role keycloak_sync only. */
    private static void assertServiceAccountTokenHasuraAccepts(String authorization) {
        assertTrue(authorization != null && authorization.startsWith("Bearer "), String.valueOf(authorization));
        String token = authorization.substring("Bearer ".length());
        JsonNode jwtConfig = Http.get(keycloak.realmUrl() + "/hasura/jwt-config", null).json();
        String jwks = Http.get(keycloak.realmUrl() + "/hasura/jwks", null).body();
        assertNull(HasuraJwtMode.refusal(token, jwtConfig, jwks));
        JsonNode payload = Jwt.payload(token);
        assertEquals("hasura-sync", payload.get("azp").asText());
        assertEquals(keycloak.issuer(), payload.get("iss").asText());
        JsonNode claims = payload.get("https://hasura.io/jwt/claims");
        assertEquals("keycloak_sync", claims.get("x-hasura-default-role").asText());
        assertEquals(List.of("keycloak_sync"), Http.JSON.convertValue(claims.get("x-hasura-allowed-roles"), List.class));
    }

    @Test
    @Order(2)
    void whileHasuraIsDownOrRefusingNothingIsLostAndEverythingArrivesOnceItIsUp() {
        hasura.mode(FakeHasura.Mode.DOWN);
        String first = admin.createUser(unique("down-a"), PASSWORD, null);
        String second = admin.createUser(unique("down-b"), PASSWORD, null);
        admin.updateUser(first, Map.of("firstName", "Changed"));
        // Hasura answers 503, then GraphQL errors: both are retried.
        hasura.await(all -> all.stream().filter(r -> r.userId().equals(first) && !r.accepted()).count() >= 2, ARRIVAL);
        Harness.sleep(DOWN_SECONDS * 500);
        hasura.mode(FakeHasura.Mode.GRAPHQL_ERRORS);
        Harness.sleep(DOWN_SECONDS * 500);
        assertTrue(hasura.received(r -> r.userId().equals(first) && !r.accepted()).size() >= 3);
        assertTrue(hasura.received(r -> r.accepted() && (r.userId().equals(first) || r.userId().equals(second))).isEmpty());

        hasura.mode(FakeHasura.Mode.UP);
        List<Received> firstAccepted = awaitAccepted(first, 2);
        List<Received> secondAccepted = awaitAccepted(second, 1);
        assertEquals(2, firstAccepted.size(), firstAccepted.toString());
        assertEquals(1, secondAccepted.size(), secondAccepted.toString());
        // in order: the creation (KeycloakAdmin's first name "Test") before the change
        assertEquals("Test", firstAccepted.get(0).body().at("/variables/user/first_name").asText());
        assertEquals("Changed", firstAccepted.get(1).body().at("/variables/user/first_name").asText());
        // the entry after the failed one waited: nothing of the first user was taken out of order
        List<Received> firstAll = hasura.received(r -> r.userId().equals(first));
        int firstTaken = firstAll.indexOf(firstAccepted.get(0));
        assertTrue(firstAll.subList(0, firstTaken).stream().allMatch(r -> r.body().at("/variables/user/first_name").asText().equals("Test")));
    }

    @Test
    @Order(3)
    void aRolledBackSignUpAndARefusedDuplicateSendNothing() {
        // createUser stores the user and fires REGISTER, then Keycloak refuses the new user a login (a required action
        // every new user gets) and the whole transaction rolls back: the outbox entry with it.
        setDefaultRequiredAction("CONFIGURE_TOTP", true);
        String rolledBack = unique("rolledback");
        try {
            Http.Response r = graphqlResponse(CREATE_USER, Map.of("u", rolledBack, "p", PASSWORD, "e", rolledBack + "@example.test"), null);
            assertEquals("FORBIDDEN", r.json().at("/errors/0/extensions/code").asText(), r.body());
        } finally {
            setDefaultRequiredAction("CONFIGURE_TOTP", false);
        }
        assertEquals(0, admin.call("GET", "/users?exact=true&username=" + rolledBack, null).json().size());

        String taken = unique("taken");
        graphql(CREATE_USER, Map.of("u", taken, "p", PASSWORD, "e", taken + "@example.test"), null);
        String duplicateEmail = unique("dup") + "@example.test";
        Http.Response dup = graphqlResponse(CREATE_USER, Map.of("u", taken, "p", PASSWORD, "e", duplicateEmail), null);
        assertEquals("BAD_USER_INPUT", dup.json().at("/errors/0/extensions/code").asText(), dup.body());
        assertEquals(409, admin.call("POST", "/users", Map.of("username", taken, "enabled", true)).status());

        // A control change after them: once it arrived, anything of the failed ones would have too.
        String control = admin.createUser(unique("control"), PASSWORD, null);
        awaitAccepted(control, 1);
        Harness.sleep(1000);
        List<Received> all = hasura.received();
        assertTrue(all.stream().noneMatch(r -> r.body().toString().contains(rolledBack)), "rolled back sign-up was sent");
        assertTrue(all.stream().noneMatch(r -> r.body().toString().contains(duplicateEmail)), "refused duplicate was sent");
        assertEquals(1, all.stream().filter(r -> r.body().toString().contains("\"" + taken + "\"")).count());
    }

    @Test
    @Order(4)
    void aPendingEntryIsDeliveredAfterKeycloakRestarts() {
        hasura.mode(FakeHasura.Mode.DOWN);
        String id = admin.createUser(unique("restart"), PASSWORD, null);
        hasura.await(all -> all.stream().anyMatch(r -> r.userId().equals(id)), ARRIVAL);
        JsonNode info = serverInfo()
                .at("/providers/eventsListener/providers/hasura-sync/operationalInfo");
        assertTrue(info.path("outbox-depth").asLong() >= 1, info.toString());
        assertFalse(info.path("outbox-oldest").asText().isEmpty(), info.toString());

        keycloak.close();
        hasura.mode(FakeHasura.Mode.UP);
        int before = hasura.received(r -> r.userId().equals(id)).size();
        keycloak = DistributionKeycloakServer.startPrivate("hasura-sync", options(), false);
        admin = new KeycloakAdmin(keycloak);
        List<Received> accepted = awaitAccepted(id, 1);
        assertEquals(1, accepted.size());
        assertTrue(hasura.received(r -> r.userId().equals(id)).size() > before);
        JsonNode after = serverInfo()
                .at("/providers/eventsListener/providers/hasura-sync/operationalInfo");
        assertEquals(0, after.path("outbox-depth").asLong(), after.toString());
    }

    @Test
    @Order(5)
    void anAdminReplaysTheUsersCreatedSinceATimeAndOnlyAnAdminMay() {
        hasura.mode(FakeHasura.Mode.UP);
        String before = admin.createUser(unique("replay-old"), PASSWORD, null);
        awaitAccepted(before, 1);
        Harness.sleep(1100);
        String since = java.time.Instant.now().toString();
        String after = admin.createUser(unique("replay-new"), PASSWORD, null);
        awaitAccepted(after, 1);

        String userToken = Http.form(keycloak.realmUrl() + "/protocol/openid-connect/token", Http.params("grant_type", "password",
                "client_id", "hasura-app", "username", admin.user(after).get("username").asText(), "password", PASSWORD), null)
                .json().get("access_token").asText();
        assertEquals(403, Http.json("POST", admin.adminUrl("/hasura-sync/replay"), null, userToken).status());
        assertEquals(400, admin.call("POST", "/hasura-sync/replay?since=yesterday", null).status());

        Http.Response replay = admin.call("POST", "/hasura-sync/replay?since=" + since, null);
        assertEquals(200, replay.status(), replay.body());
        assertEquals(1, replay.json().get("queued").asLong(), replay.body());
        assertEquals(2, awaitAccepted(after, 2).size());
        Harness.sleep(1000);
        assertEquals(1, hasura.received(r -> r.accepted() && r.userId().equals(before)).size(), "created before since: not replayed");

        // The initial load: every user of the realm, service accounts left out.
        Http.Response all = admin.call("POST", "/hasura-sync/replay", null);
        assertEquals(200, all.status(), all.body());
        long users = admin.call("GET", "/users?briefRepresentation=true&max=100000", null).json().size();
        assertEquals(users, all.json().get("queued").asLong(), all.body());
        assertEquals(2, awaitAccepted(before, 2).size());
        hasura.await(r -> admin.call("GET", "/hasura-sync/outbox", null).json().get("depth").asLong() == 0, ARRIVAL);
        assertEquals(0, admin.call("GET", "/hasura-sync/outbox", null).json().get("depth").asLong());
        assertTrue(hasura.received().stream().noneMatch(r -> r.body().toString().contains("service-account-")));
    }

    private static JsonNode serverInfo() {
        return Http.get(keycloak.baseUrl() + "/admin/serverinfo", admin.token()).json();
    }

    private static List<Received> awaitAccepted(String userId, int count) {
        hasura.await(all -> all.stream().filter(r -> r.accepted() && r.userId().equals(userId)).count() >= count, ARRIVAL);
        List<Received> accepted = hasura.received(r -> r.accepted() && r.userId().equals(userId));
        assertTrue(accepted.size() >= count, "expected " + count + " deliveries for " + userId + ", got " + hasura.received());
        return accepted;
    }

    private static void setDefaultRequiredAction(String alias, boolean defaultAction) {
        JsonNode action = admin.call("GET", "/authentication/required-actions/" + alias, null).json();
        Map<String, Object> changed = Http.JSON.convertValue(action, Map.class);
        changed.put("enabled", true);
        changed.put("defaultAction", defaultAction);
        assertEquals(204, admin.call("PUT", "/authentication/required-actions/" + alias, changed).status());
    }

    private static Http.Response graphqlResponse(String query, Map<String, Object> variables, String bearer) {
        return Http.json("POST", keycloak.realmUrl() + "/graphql", Map.of("query", query, "variables", variables), bearer);
    }

    private static JsonNode graphql(String query, Map<String, Object> variables, String bearer) {
        Http.Response r = graphqlResponse(query, variables, bearer);
        JsonNode json = r.json();
        assertTrue(json.path("errors").isMissingNode() || json.path("errors").isEmpty(), r.body());
        return json.get("data");
    }
}
