package io.github.keycloakhasura.it.reliability;

import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakCluster;
import io.github.keycloakhasura.it.support.KeycloakCluster.Node;
import io.github.keycloakhasura.it.support.KeycloakClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.github.keycloakhasura.it.reliability.Figures.format;
import static io.github.keycloakhasura.it.reliability.Figures.row;
import static io.github.keycloakhasura.it.reliability.Figures.where;

/**
 * Scenario 4 of {@code scripts/reliability.sh} (not a CI test): mixed traffic at half the measured capacity for
 * {@code -Dreliability.soak.seconds} (default 120; the hour is 3600) on one production-mode node with
 * PostgreSQL. Every client ends its session before opening the next (revokeToken), and all at the end, so the session
 * count must come back to where it started. Six equal windows (minutes 1–10, …, 51–60 of an hour): heap after a full
 * GC at the end of each, requests, errors and p99 per window.
 */
@ExtendWith(KeycloakClusterExtension.class)
class SoakScenario {

    private static final String PASSWORD = "Secret-pass-123";
    private static final int WINDOWS = 6;

    @Test
    void halfCapacityTrafficKeepsHeapSessionsErrorsAndP99Flat(KeycloakCluster cluster) throws Exception {
        int clients = Integer.getInteger("reliability.soak.clients", 8);
        int seconds = Integer.getInteger("reliability.soak.seconds", 120);
        int capacitySeconds = Integer.getInteger("reliability.capacity.seconds", 15);
        Node node = cluster.start("a");
        KeycloakAdmin admin = new KeycloakAdmin(node);
        List<String> users = IntStream.range(0, clients).mapToObj(i -> admin.newUser("soak", PASSWORD, "manager")).toList();
        List<Balancer.Target> targets = List.of(new Balancer.Target("a", node::baseUrl, null));
        String sessionsSql = "SELECT count(*) FROM offline_user_session s JOIN realm r ON r.id = s.realm_id "
                + "WHERE r.name = 'app' AND s.offline_flag = '0'";

        double capacity;
        try (Balancer balancer = new Balancer(targets, Duration.ofSeconds(1))) {
            MixedTraffic probe = new MixedTraffic(balancer, new MixedTraffic.Options(users, PASSWORD, 0, true)).start();
            Thread.sleep(capacitySeconds * 1000L);
            probe.stop();
            probe.signOut();
            List<Call> c = probe.calls();
            capacity = Figures.okRate(c, c.get(0).endMillis() + 3000, probe.now());
        }
        double rate = capacity / 2;
        int baseline = Integer.parseInt(cluster.database().psql(sessionsSql));
        double heapStart = Jvm.heapAfterFullGcMiB(node.pid());
        System.out.printf("SoakScenario: capacity %.1f requests/s, soak at %.1f/s for %d s; %d sessions, heap %.1f MiB%n",
                capacity, rate, seconds, baseline, heapStart);

        List<String> rows = new ArrayList<>();
        List<Double> heaps = new ArrayList<>();
        List<Long> p99s = new ArrayList<>();
        List<Long> errors = new ArrayList<>();
        MixedTraffic soak;
        try (Balancer balancer = new Balancer(targets, Duration.ofSeconds(1))) {
            soak = new MixedTraffic(balancer, new MixedTraffic.Options(users, PASSWORD, rate, true)).start();
            long window = seconds * 1000L / WINDOWS;
            for (int w = 1; w <= WINDOWS; w++) {
                Thread.sleep(Math.max(0, w * window - soak.now()));
                long from = (w - 1) * window;
                long to = soak.now();
                double heap = Jvm.heapAfterFullGcMiB(node.pid());
                List<Call> in = where(soak.calls(), c -> c.startMillis() >= from && c.startMillis() < to);
                long failed = in.stream().filter(c -> !c.ok()).count();
                long p99 = Figures.percentile(in, 99);
                heaps.add(heap);
                p99s.add(p99);
                errors.add(failed);
                rows.add(row(format("%.0f–%.0f s", from / 1000.0, to / 1000.0), in.size(), failed, Figures.percentile(in, 50) + " ms",
                        p99 + " ms", format("%.1f MiB", heap)));
                System.out.println("SoakScenario: window " + w + ": " + rows.get(rows.size() - 1).strip());
            }
            soak.stop();
            soak.signOut();
        }
        int sessionsAfter = Integer.parseInt(cluster.database().psql(sessionsSql));
        List<Call> all = soak.calls();
        double heapGrowth = (heaps.get(WINDOWS - 1) - heaps.get(0)) / heaps.get(0);
        double p99Change = p99s.get(0) == 0 ? 0 : (double) p99s.get(WINDOWS - 1) / p99s.get(0);

        StringBuilder md = new StringBuilder();
        md.append(format("%d clients on one production-mode node (PostgreSQL), mixed traffic paced at half the capacity measured "
                        + "just before (%.1f of %.1f successful requests/s over %d s), for %d s; every client revokes its session before "
                        + "signing in again, and all sign out at the end. Heap: `jcmd GC.run`, then `GC.heap_info`, at the end of each window.%n%n",
                clients, rate, capacity, capacitySeconds, seconds));
        md.append(row("window", "requests", "failed", "p50", "p99", "heap after full GC"));
        md.append(row("---", "---", "---", "---", "---", "---"));
        rows.forEach(md::append);
        md.append('\n');
        md.append(row("measure", "value", "target", "met"));
        md.append(row("---", "---", "---", "---"));
        md.append(row("heap after full GC, first window → last", format("%.1f → %.1f MiB (%+.1f %%)", heaps.get(0), heaps.get(WINDOWS - 1),
                100 * heapGrowth), "within 10 %", Math.abs(heapGrowth) <= 0.10 ? "yes" : "no"));
        md.append(row("sessions of realm app: before / after sign-out", baseline + " / " + sessionsAfter, "back to baseline",
                sessionsAfter <= baseline ? "yes" : "no"));
        md.append(row("failed requests: total / first window / last window", all.stream().filter(c -> !c.ok()).count() + " / "
                + errors.get(0) + " / " + errors.get(WINDOWS - 1), "no growth", errors.get(WINDOWS - 1) <= errors.get(0) ? "yes" : "no"));
        md.append(row("p99 first window → last", p99s.get(0) + " → " + p99s.get(WINDOWS - 1) + format(" ms (×%.2f)", p99Change),
                "steady", p99Change <= 1.5 ? "yes (≤ ×1.5)" : "no (> ×1.5)"));
        Figures.report("soak", md.toString());
    }
}
