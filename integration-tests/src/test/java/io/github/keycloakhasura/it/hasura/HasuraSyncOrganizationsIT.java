package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.DistributionKeycloakServer;
import io.github.keycloakhasura.it.support.FakeHasura;
import io.github.keycloakhasura.it.support.FakeHasura.Received;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Organization memberships in the {@code hasura-sync} events listener (issue 24) on the real Keycloak, with an in-test
 * server playing Hasura: a join and a leave, whatever the path (Keycloak's admin REST, the extension's
 * {@code removeOrganizationMember}, an organization deleted), arrive once each, in order after the user's creation;
 * a refused membership change sends nothing, concurrent joins one each per commit; a replay includes memberships.
 * Runs its own Keycloak.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HasuraSyncOrganizationsIT {

    private static final String PASSWORD = "Sync-pass-12";
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final String JOIN = "insert_organization_members_one";
    private static final String SOFT_LEAVE = "update_organization_members_by_pk";
    private static final String UPSERT = "insert_users_one";

    static FakeHasura hasura;
    static KeycloakServer keycloak;
    static KeycloakAdmin admin;

    @BeforeAll
    static void start() {
        hasura = new FakeHasura();
        keycloak = DistributionKeycloakServer.startPrivate("hasura-sync-organizations",
                List.of("--spi-events-listener--hasura-sync--url=" + hasura.url(),
                        "--spi-events-listener--hasura-sync--max-backoff-seconds=2",
                        "--spi-events-listener--hasura-sync--poll-interval-ms=250"), true);
        admin = new KeycloakAdmin(keycloak);
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
    void joinsAndLeavesOnEveryPathArriveOnceInOrderAfterTheUsersCreation() {
        String[] a = HasuraOrganizationsIT.organization(admin, "sync-a");
        String[] b = HasuraOrganizationsIT.organization(admin, "sync-b");
        String manager = unique("sync-manager");
        admin.addRealmRoles(admin.createUser(manager, PASSWORD, null), "manager");
        String username = unique("sync-member");
        String id = admin.createUser(username, PASSWORD, null);          // admin event CREATE
        HasuraOrganizationsIT.addMember(admin, a[0], id);                  // admin REST: joins A
        HasuraOrganizationsIT.addMember(admin, b[0], id);                  // admin REST: joins B
        JsonNode removed = graphql("mutation($o: ID!, $u: ID!) { removeOrganizationMember(organizationId: $o, userId: $u)"
                + " { success } }", Map.of("o", a[0], "u", id), token(manager));    // the extension: leaves A
        assertTrue(removed.at("/data/removeOrganizationMember/success").asBoolean(), removed.toString());
        assertEquals(204, admin.call("DELETE", "/organizations/" + b[0], null).status()); // B deleted: its members leave

        awaitAccepted(id, 5);
        Harness.sleep(2000); // a duplicate would arrive meanwhile
        List<Received> mine = hasura.received(r -> r.userId().equals(id));
        assertEquals(5, mine.size(), mine.toString());
        assertTrue(mine.stream().allMatch(Received::accepted), mine.toString());
        assertEquals(List.of(UPSERT, JOIN, JOIN, SOFT_LEAVE, SOFT_LEAVE), mine.stream().map(Received::operation).toList());
        assertEquals(List.of("", a[0], b[0], a[0], b[0]), mine.stream().map(Received::organizationId).toList());

        JsonNode join = mine.get(1).body();
        assertEquals(id, join.at("/variables/member/user_id").asText());
        assertTrue(join.at("/variables/member/deleted_at").isNull(), join.toString());
        // The join carries the member's row (upserted first, so the membership's foreign key holds).
        assertEquals(username, join.at("/variables/user/username").asText());
        assertTrue(join.get("query").asText().indexOf(UPSERT) < join.get("query").asText().indexOf(JOIN));
        JsonNode leave = mine.get(3).body();
        assertEquals(id, leave.at("/variables/user_id").asText());
        assertTrue(leave.at("/variables/deleted_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), leave.toString());
    }

    @Test
    @Order(2)
    void aRefusedMembershipChangeSendsNothingAndEachCommittedOneIsSentOnce() throws Exception {
        String[] org = HasuraOrganizationsIT.organization(admin, "sync-c");
        String member = admin.createUser(unique("sync-in"), PASSWORD, null);
        String outsider = admin.createUser(unique("sync-out"), PASSWORD, null);
        String racer = admin.createUser(unique("sync-race"), PASSWORD, null);
        HasuraOrganizationsIT.addMember(admin, org[0], member);

        // Refused: already a member; not a member; no such organization.
        assertEquals(409, admin.call("POST", "/organizations/" + org[0] + "/members", member).status());
        assertEquals(404, admin.call("DELETE", "/organizations/" + org[0] + "/members/" + outsider, null).status());
        assertEquals(404, admin.call("POST", "/organizations/no-such-org/members", outsider).status());

        // Concurrent joins of one user: each request Keycloak commits (201) is one join sent; one it refuses (409,
        // already a member) is none. A transaction that does not commit takes its outbox entry with it: 201 only
        // follows a commit (Keycloak commits before it answers), so no more joins than 201 answers may arrive.
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        List<Integer> statuses = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return admin.call("POST", "/organizations/" + org[0] + "/members", racer).status();
                }));
            }
            go.countDown();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        long committed = statuses.stream().filter(s -> s == 201).count();
        assertTrue(committed >= 1, statuses.toString());
        assertEquals(200, admin.call("GET", "/organizations/" + org[0] + "/members/" + racer, null).status());

        // A control change after them all: once it arrived, anything of the refused ones would have too.
        admin.updateUser(member, Map.of("firstName", "Control"));
        awaitAccepted(member, 3);
        awaitAccepted(racer, 1 + (int) committed);
        Harness.sleep(2000);
        assertEquals(List.of(UPSERT, JOIN, UPSERT), operations(member));
        assertEquals(List.of(UPSERT), operations(outsider));
        List<String> joins = new ArrayList<>(List.of(UPSERT));
        for (long i = 0; i < committed; i++) {
            joins.add(JOIN);
        }
        assertEquals(joins, operations(racer), "one join per committed request; answers " + statuses);
        assertTrue(hasura.received().stream().noneMatch(r -> r.body().toString().contains("no-such-org")));
    }

    @Test
    @Order(3)
    void aReplayQueuesEachUsersMembershipsAfterTheirRow() {
        String[] org = HasuraOrganizationsIT.organization(admin, "sync-d");
        Harness.sleep(1100);
        String since = java.time.Instant.now().toString();
        String id = admin.createUser(unique("sync-replay"), PASSWORD, null);
        HasuraOrganizationsIT.addMember(admin, org[0], id);
        awaitAccepted(id, 2);

        Http.Response replay = admin.call("POST", "/hasura-sync/replay?since=" + since, null);
        assertEquals(200, replay.status(), replay.body());
        assertEquals(1, replay.json().get("queued").asLong(), replay.body());
        assertEquals(1, replay.json().get("memberships").asLong(), replay.body());
        awaitAccepted(id, 4);
        Harness.sleep(1000);
        assertEquals(List.of(UPSERT, JOIN, UPSERT, JOIN), operations(id));
        assertEquals(org[0], hasura.received(r -> r.userId().equals(id)).get(3).organizationId());
    }

    private static List<String> operations(String userId) {
        return hasura.received(r -> r.userId().equals(userId)).stream().map(Received::operation).toList();
    }

    private static List<Received> awaitAccepted(String userId, int count) {
        hasura.await(all -> all.stream().filter(r -> r.accepted() && r.userId().equals(userId)).count() >= count, ARRIVAL);
        List<Received> accepted = hasura.received(r -> r.accepted() && r.userId().equals(userId));
        assertTrue(accepted.size() >= count, "expected " + count + " deliveries for " + userId + ", got " + hasura.received());
        return accepted;
    }

    private static String token(String username) {
        JsonNode r = graphql("mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }",
                Map.of("u", username, "p", PASSWORD), null);
        return r.at("/data/tokenAuth/token").asText();
    }

    private static JsonNode graphql(String query, Map<String, Object> variables, String bearer) {
        Http.Response r = Http.json("POST", keycloak.realmUrl() + "/graphql", Map.of("query", query, "variables", variables), bearer);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }
}
