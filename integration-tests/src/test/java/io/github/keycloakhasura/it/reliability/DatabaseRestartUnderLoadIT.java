package io.github.keycloakhasura.it.reliability;

import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakCluster;
import io.github.keycloakhasura.it.support.KeycloakCluster.Node;
import io.github.keycloakhasura.it.support.KeycloakClusterExtension;
import io.github.keycloakhasura.it.support.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static io.github.keycloakhasura.it.reliability.Figures.format;
import static io.github.keycloakhasura.it.reliability.Figures.row;
import static io.github.keycloakhasura.it.reliability.Figures.where;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL restarted mid-load ({@code pg_ctl stop -m fast}, down for {@code -Dreliability.db.down.seconds} (4), then
 * started again on the same port and data) under mixed traffic on a production-mode node. Requests may fail only
 * while the database is down and shortly after (at most {@code -Dreliability.db.recovery.limit.seconds}, 15, after
 * it is back), and every such failure says "temporarily unavailable" (HTTP 503, or GraphQL {@code UNAVAILABLE}), never
 * 500 or {@code INTERNAL}; no session opened before is lost; the connection pool is not stuck: the last seconds of the
 * run have no failure and the pool holds no more connections than its maximum.
 */
@ExtendWith(KeycloakClusterExtension.class)
class DatabaseRestartUnderLoadIT {

    private static final String PASSWORD = "Secret-pass-123";
    private static final int POOL_MAX = 30; // KeycloakCluster's --db-pool-max-size

    @Test
    void postgresRestartedUnderLoadFailsRequestsOnlyWhileDownAsUnavailableLosesNoSessionAndLeavesNoStuckPool(KeycloakCluster cluster)
            throws Exception {
        int clients = Figures.clients();
        int seconds = Figures.seconds();
        int downSeconds = Integer.getInteger("reliability.db.down.seconds", 4);
        int recoveryLimit = Integer.getInteger("reliability.db.recovery.limit.seconds", 15);
        Node node = cluster.start("a");
        PostgresServer database = cluster.database();
        KeycloakAdmin admin = new KeycloakAdmin(node);
        List<String> users = IntStream.range(0, clients).mapToObj(i -> admin.newUser("load", PASSWORD, "manager")).toList();

        long downAt;
        long upAt;
        MixedTraffic load;
        try (Balancer balancer = new Balancer(List.of(new Balancer.Target("a", node::baseUrl, null)), Duration.ofSeconds(1))) {
            load = new MixedTraffic(balancer, new MixedTraffic.Options(users, PASSWORD, 0, false)).start();
            load.awaitEveryClientSignedIn(seconds * 300L, 180_000);
            downAt = load.now();
            database.stopKeepingData();
            long stopped = load.now();
            Thread.sleep(downSeconds * 1000L);
            database.startAgain();
            upAt = load.now();
            System.out.printf("DatabaseRestartUnderLoadIT: PostgreSQL stopping at %d ms, stopped at %d ms, up again at %d ms%n",
                    downAt, stopped, upAt);
            // at least the recovery limit and 5 quiet seconds after the database is back
            long end = Math.max(seconds * 1000L, upAt + (recoveryLimit + 5) * 1000L);
            Thread.sleep(Math.max(0, end - load.now()));
            load.stop();
        }
        long endAt = load.now();
        List<Call> calls = load.calls();
        List<MixedTraffic.Session> beforeDown = load.sessions().stream().filter(s -> s.createdMillis < downAt).toList();
        List<String> lost = Sessions.lost(beforeDown, node);
        List<Call> failed = where(calls, c -> !c.ok());
        List<Call> failedBefore = where(failed, c -> c.endMillis() < downAt);
        List<Call> failedLate = where(failed, c -> c.startMillis() > upAt + recoveryLimit * 1000L);
        List<Call> lastSeconds = where(calls, c -> c.startMillis() > endAt - 5000);
        List<Call> lastFailed = where(lastSeconds, c -> !c.ok());
        long recovery = failed.stream().filter(c -> c.endMillis() >= upAt).mapToLong(c -> c.endMillis() - upAt).max().orElse(0);
        long p99Before = Figures.percentile(where(calls, c -> c.endMillis() < downAt), 99);
        long slowest = where(calls, c -> c.endMillis() >= upAt).stream().mapToLong(Call::millis).max().orElse(0);
        int connections = Integer.parseInt(database.psql(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = '" + PostgresServer.USERNAME + "'"));
        double rateBefore = Figures.okRate(calls, 0, downAt);
        double rateDown = Figures.okRate(calls, downAt, upAt);
        double rateLast = Figures.okRate(calls, endAt - 5000, endAt);
        List<Call> server5xx = where(calls, Call::serverError);
        List<Call> notUnavailable = where(failed, c -> !c.unavailable());

        StringBuilder md = new StringBuilder();
        md.append(format("%d clients of mixed traffic on one production-mode node for %.1f s; PostgreSQL stopped (`pg_ctl stop -m fast`) "
                + "at %.1f s, started again %d s later (up at %.1f s).%n%n", clients, endAt / 1000.0, downAt / 1000.0, downSeconds, upAt / 1000.0));
        md.append(row("measure", "value", "target", "met"));
        md.append(row("---", "---", "---", "---"));
        md.append(row("requests / failed", calls.size() + " / " + failed.size(), "", ""));
        md.append(row("failed before the database went down", failedBefore.size(), "0", failedBefore.isEmpty() ? "yes" : "no"));
        md.append(row("failed that started more than " + recoveryLimit + " s after it was back", failedLate.size(), "0", failedLate.isEmpty() ? "yes" : "no"));
        md.append(row("of the failures: HTTP 5xx", server5xx.size(), "", ""));
        md.append(row("of the failures: not \"unavailable\" (HTTP 503 or GraphQL `UNAVAILABLE`)", notUnavailable.size(), "0",
                notUnavailable.isEmpty() ? "yes" : "no"));
        md.append(row("recovery (database up → end of the last failed request)", format("%.1f s", recovery / 1000.0), "within seconds",
                recovery <= recoveryLimit * 1000L ? "yes" : "no"));
        md.append(row("p99 before the restart / slowest request after it", p99Before + " ms / " + slowest + " ms", "", ""));
        md.append(row("successful requests/s before / while down / last 5 s", format("%.1f / %.1f / %.1f", rateBefore, rateDown, rateLast), "", ""));
        md.append(row("sessions opened before the restart / lost", beforeDown.size() + " / " + lost.size(), "0 lost", lost.isEmpty() ? "yes" : "no"));
        md.append(row("last 5 s: requests / failed (stuck pool?)", lastSeconds.size() + " / " + lastFailed.size(), "0 failed",
                lastFailed.isEmpty() && !lastSeconds.isEmpty() ? "yes" : "no"));
        md.append(row("Keycloak's connections to PostgreSQL after the run", connections, "≤ " + POOL_MAX, connections <= POOL_MAX ? "yes" : "no"));
        StringBuilder kinds = new StringBuilder();
        failed.stream().collect(java.util.stream.Collectors.groupingBy(c -> c.operation() + " " + abbreviate(c.failure().replaceAll("error id [0-9a-f-]+", "error id …")),
                java.util.TreeMap::new, java.util.stream.Collectors.counting()))
                .forEach((k, v) -> kinds.append("\n- ").append(v).append(" × ").append(k));
        if (!failed.isEmpty()) {
            md.append("\nFailures while down, by operation and answer:").append(kinds).append('\n');
        }
        Figures.report("database-restart", md.toString());

        assertTrue(failedBefore.isEmpty(), "failures before the database went down: " + failedBefore);
        assertTrue(failedLate.isEmpty(), "failures more than " + recoveryLimit + " s after the database was back: " + failedLate);
        assertTrue(notUnavailable.isEmpty(), "failures not answered as unavailable (503 / UNAVAILABLE): " + notUnavailable);
        assertTrue(lost.isEmpty(), "sessions lost: " + lost);
        assertTrue(!lastSeconds.isEmpty() && lastFailed.isEmpty(), "the last 5 s: " + lastSeconds.size() + " requests, failed " + lastFailed);
        assertTrue(connections <= POOL_MAX, connections + " connections");
        assertTrue(beforeDown.size() >= clients, "every client opened a session before the restart");
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 90 ? s.substring(0, 90) + "…" : s;
    }
}
