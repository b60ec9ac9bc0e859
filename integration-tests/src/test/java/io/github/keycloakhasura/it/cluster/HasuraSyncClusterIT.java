package io.github.keycloakhasura.it.cluster;

import io.github.keycloakhasura.it.support.FakeHasura;
import io.github.keycloakhasura.it.support.FakeHasura.Received;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakCluster;
import io.github.keycloakhasura.it.support.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code hasura-sync} outbox on two nodes sharing one PostgreSQL (issue 24): both workers poll the same outbox,
 * and each entry reaches Hasura once, in order per user, whichever node made the change.
 */
class HasuraSyncClusterIT {

    private static final String PASSWORD = "Sync-pass-12";
    private static final int USERS = 12;

    static FakeHasura hasura;
    static PostgresServer postgres;
    static KeycloakCluster cluster;

    @BeforeAll
    static void start() {
        hasura = new FakeHasura();
        Path target = Path.of(System.getProperty("project.build.directory", "target"));
        postgres = PostgresServer.startOrSkip(target.resolve("hasura-sync-postgres"));
        List<String> options = List.of(
                "--spi-events-listener--hasura-sync--url=" + hasura.url(),
                "--spi-events-listener--hasura-sync--max-backoff-seconds=2",
                "--spi-events-listener--hasura-sync--poll-interval-ms=100");
        cluster = KeycloakCluster.create(postgres, options);
    }

    @AfterAll
    static void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
            if (hasura != null) {
                hasura.close();
            }
        }
    }

    @Test
    void twoNodesPollingOneOutboxDeliverEachEntryOnceInOrder() {
        KeycloakAdmin a = new KeycloakAdmin(cluster.start("a"));
        KeycloakAdmin b = new KeycloakAdmin(cluster.start("b"));
        hasura.delay(Duration.ofMillis(300)); // a slow Hasura: both nodes see the entries while one is sending
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            ids.add((i % 2 == 0 ? a : b).createUser(unique("cluster-sync"), PASSWORD, null));
        }
        for (int i = 0; i < USERS; i++) {
            (i % 2 == 0 ? b : a).updateUser(ids.get(i), Map.of("firstName", "Changed" + i));
        }
        hasura.await(all -> ids.stream().allMatch(id -> all.stream().filter(r -> r.accepted() && r.userId().equals(id)).count() >= 2),
                Duration.ofSeconds(120));
        Harness.sleep(3000); // a second sender would have sent by now
        for (int i = 0; i < USERS; i++) {
            String id = ids.get(i);
            List<Received> mine = hasura.received(r -> r.userId().equals(id));
            assertEquals(2, mine.size(), "user " + i + ": " + mine);
            assertEquals("Test", mine.get(0).body().at("/variables/user/first_name").asText());
            assertEquals("Changed" + i, mine.get(1).body().at("/variables/user/first_name").asText());
        }
        assertTrue(hasura.received().stream().allMatch(Received::accepted));
    }
}
