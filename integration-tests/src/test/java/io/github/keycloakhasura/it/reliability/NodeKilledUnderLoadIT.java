package io.github.keycloakhasura.it.reliability;

import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakCluster;
import io.github.keycloakhasura.it.support.KeycloakCluster.Node;
import io.github.keycloakhasura.it.support.KeycloakClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static io.github.keycloakhasura.it.reliability.Figures.format;
import static io.github.keycloakhasura.it.reliability.Figures.row;
import static io.github.keycloakhasura.it.reliability.Figures.where;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node killed mid-load ({@code kill -9}): two nodes (production mode, {@code cache=ispn}, one PostgreSQL), mixed
 * traffic over both behind a health-checking {@link Balancer}; node a is killed at 40 % of the run. The survivor must
 * answer no 5xx, every session opened before the kill must still refresh on it (Keycloak keeps user sessions in the
 * database), and only requests in flight on the killed node may fail. Node a is then started again: it must rejoin
 * the cluster and serve every session and new traffic.
 *
 * <p>{@code -Dreliability.clients} (10) and {@code -Dreliability.seconds} (20) size the load; {@code scripts/reliability.sh}
 * runs it longer and writes the figures into {@code docs/reliability.md}.
 */
@ExtendWith(KeycloakClusterExtension.class)
class NodeKilledUnderLoadIT {

    private static final String PASSWORD = "Secret-pass-123";

    @Test
    void aNodeKilledUnderLoadLosesNoSessionTheSurvivorAnswersNo5xxAndTheNodeRejoins(KeycloakCluster cluster) throws Exception {
        int clients = Figures.clients();
        int seconds = Figures.seconds();
        Node a = cluster.start("a");
        Node b = cluster.start("b");
        await(Duration.ofSeconds(90), "both nodes see [a, b]",
                () -> a.clusterMembers().equals(List.of("a", "b")) && b.clusterMembers().equals(List.of("a", "b")));
        KeycloakAdmin admin = new KeycloakAdmin(b);
        List<String> users = IntStream.range(0, clients).mapToObj(i -> admin.newUser("load", PASSWORD, "manager")).toList();

        List<Balancer.Target> targets = List.of(target(a), target(b));
        MixedTraffic.Options options = new MixedTraffic.Options(users, PASSWORD, 0, false);
        long killAt;
        long pid;
        MixedTraffic load;
        try (Balancer balancer = new Balancer(targets, Duration.ofMillis(250))) {
            load = new MixedTraffic(balancer, options).start();
            // The fixed point: 40 % of the run, and not before every client holds a session.
            load.awaitEveryClientSignedIn(seconds * 400L, 180_000);
            killAt = load.now();
            pid = a.kill();
            System.out.printf("NodeKilledUnderLoadIT: kill -9 %d (node a) at %d ms%n", pid, killAt);
            Thread.sleep(seconds * 600L);
            load.stop();
        }
        long endAt = load.now();
        List<Call> calls = load.calls();
        List<MixedTraffic.Session> sessions = load.sessions();
        List<MixedTraffic.Session> beforeKill = sessions.stream().filter(s -> s.createdMillis < killAt).toList();

        // The survivor: every session, and no 5xx.
        List<String> lostOnSurvivor = Sessions.lost(sessions, b);
        List<Call> survivor5xx = where(calls, c -> c.node().equals("b") && c.serverError());
        List<Call> failed = where(calls, c -> !c.ok());
        List<Call> inFlightOnA = where(calls, c -> c.inFlightAt(killAt) && (c.node().equals("a") || "a".equals(c.retriedFrom())));
        List<Call> failedNotInFlight = where(failed, c -> !(c.inFlightAt(killAt) && (c.node().equals("a") || "a".equals(c.retriedFrom()))));
        List<Call> retried = where(calls, c -> c.retriedFrom() != null);
        List<Call> beforeCalls = where(calls, c -> c.endMillis() < killAt);
        long p99Before = Figures.percentile(beforeCalls, 99);
        long recovery = Figures.recovery(calls, killAt, "a");
        List<Call> retriedFromA = where(retried, c -> "a".equals(c.retriedFrom()) && c.endMillis() >= killAt);
        long maxAfter = where(calls, c -> c.endMillis() >= killAt).stream().mapToLong(Call::millis).max().orElse(0);
        double rateBefore = Figures.okRate(calls, 0, killAt);
        double rateAfter = Figures.okRate(calls, killAt, endAt);

        System.out.printf("NodeKilledUnderLoadIT: %d calls, %d failed (%d not in flight on a), %d retried, %d survivor 5xx, "
                        + "%d/%d sessions lost on the survivor, recovery %d ms, max after kill %d ms, ok/s %.1f -> %.1f%n",
                calls.size(), failed.size(), failedNotInFlight.size(), retried.size(), survivor5xx.size(), lostOnSurvivor.size(),
                sessions.size(), recovery, maxAfter, rateBefore, rateAfter);
        failed.stream().limit(10).forEach(c -> System.out.println("  failed: " + c));

        // Node a comes back: it rejoins, serves every session, and a few seconds of traffic over both nodes.
        Instant restarting = Instant.now();
        Node a2 = cluster.start("a");
        long restartSeconds = Duration.between(restarting, Instant.now()).toSeconds();
        await(Duration.ofSeconds(60), "the restarted a and b see a two-member view of a and b",
                () -> Set.copyOf(a2.clusterMembers()).equals(Set.of("a", "b")) && Set.copyOf(b.clusterMembers()).equals(Set.of("a", "b")));
        List<String> lostOnRestarted = Sessions.lost(sessions, a2);
        List<Call> after;
        try (Balancer balancer = new Balancer(targets, Duration.ofMillis(250))) {
            MixedTraffic again = new MixedTraffic(balancer, options).start();
            Thread.sleep(5000);
            again.stop();
            after = again.calls();
        }
        List<Call> afterFailed = where(after, c -> !c.ok());
        long afterOnA = after.stream().filter(c -> c.node().equals("a") && c.ok()).count();

        StringBuilder md = new StringBuilder();
        md.append(format("%d clients × %d s of mixed traffic (tokenAuth, refreshToken, verifyToken, whoami, webhook, users) over "
                + "two nodes behind a health-checking balancer (`/health/ready` every 250 ms; a connection error takes a node out at once); "
                + "`kill -9` of node a's JVM (pid %d) at %.1f s (40 %% of the run, once every client held a session), then %.1f s more.%n%n",
                clients, seconds, pid, killAt / 1000.0, (endAt - killAt) / 1000.0));
        md.append(row("measure", "value", "target", "met"));
        md.append(row("---", "---", "---", "---"));
        md.append(row("requests", calls.size(), "", ""));
        md.append(row("failed requests (after one retry on connection errors)", failed.size(), "only those in flight on a", failedNotInFlight.isEmpty() ? "yes" : "no"));
        md.append(row("in flight on a at the kill", inFlightOnA.size(), "", ""));
        md.append(row("retried on b after a connection error on a, from the kill on (succeeded unless counted as failed)", retriedFromA.size(), "", ""));
        md.append(row("retried after another connection error (a keep-alive connection the server had closed)", retried.size() - retriedFromA.size(), "", ""));
        md.append(row("5xx from the survivor", survivor5xx.size(), "0", survivor5xx.isEmpty() ? "yes" : "no"));
        md.append(row("sessions opened before the kill / lost on the survivor", beforeKill.size() + " / "
                + lostOnSurvivor.stream().filter(l -> beforeKill.stream().anyMatch(s -> l.startsWith("session " + s.id + " "))).count(), "0 lost", lostOnSurvivor.isEmpty() ? "yes" : "no"));
        md.append(row("all sessions / lost on the survivor", sessions.size() + " / " + lostOnSurvivor.size(), "0 lost", lostOnSurvivor.isEmpty() ? "yes" : "no"));
        md.append(row("recovery (kill → end of the last request that failed or had to leave a)", format("%.1f s", recovery / 1000.0), "", ""));
        md.append(row("slowest request after the kill", maxAfter + " ms", "", ""));
        md.append(row("p99 before the kill", p99Before + " ms", "", ""));
        md.append(row("successful requests/s before / after the kill", format("%.1f / %.1f", rateBefore, rateAfter), "", ""));
        md.append(row("node a restarted (start to ready) and rejoined [a, b]", restartSeconds + " s", "rejoins", "yes"));
        md.append(row("sessions lost on the restarted node", lostOnRestarted.size(), "0", lostOnRestarted.isEmpty() ? "yes" : "no"));
        md.append(row("5 s of traffic after the rejoin: requests / failed / served by a", after.size() + " / " + afterFailed.size() + " / " + afterOnA, "0 failed", afterFailed.isEmpty() ? "yes" : "no"));
        List<String> firstFailures = new ArrayList<>();
        failed.stream().limit(5).forEach(c -> firstFailures.add(c.toString()));
        if (!firstFailures.isEmpty()) {
            md.append("\nFirst failed requests: ").append(String.join("; ", firstFailures)).append('\n');
        }
        Figures.report("node-killed", md.toString());

        assertTrue(lostOnSurvivor.isEmpty(), "sessions lost on the survivor: " + lostOnSurvivor);
        assertTrue(survivor5xx.isEmpty(), "5xx from the survivor: " + survivor5xx);
        assertTrue(failedNotInFlight.isEmpty(), "failed requests that were not in flight on the killed node: " + failedNotInFlight);
        assertTrue(lostOnRestarted.isEmpty(), "sessions refused by the restarted node: " + lostOnRestarted);
        assertTrue(afterFailed.isEmpty(), "failed requests after the rejoin: " + afterFailed);
        assertTrue(afterOnA > 0, "the restarted node served none of the traffic after the rejoin");
        assertEquals(0, where(after, c -> c.serverError()).size());
        assertTrue(beforeKill.size() >= clients, "every client opened a session before the kill: " + beforeKill.size());
    }

    private static Balancer.Target target(Node node) {
        return new Balancer.Target(node.name(), node::baseUrl, () -> node.managementUrl() + "/health/ready");
    }

    static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Timed out after " + timeout + " waiting until " + what);
            }
            Thread.sleep(200);
        }
    }
}
