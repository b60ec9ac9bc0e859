package io.github.keycloakhasura.it.reliability;

import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.PostgresServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.github.keycloakhasura.it.reliability.Figures.format;
import static io.github.keycloakhasura.it.reliability.Figures.row;

/**
 * Scenario 5 of {@code scripts/reliability.sh} (not a CI test): Keycloak's cold start with the extension's jars in
 * {@code providers/} against the same distribution without them, in the same run, alternating sides
 * ({@code -Dreliability.cold.rounds}, default 1): {@code kc.sh build --db=postgres --health-enabled=true}, then
 * {@code kc.sh start --optimized} (production mode, one PostgreSQL, the schema created by a warm-up start first) until
 * {@code /health/ready} and the master realm answer. Wall-clock times, and Keycloak's own "started in".
 */
class ColdStartScenario {

    private static final Pattern STARTED_IN = Pattern.compile("started in ([0-9.]+)s");

    @Test
    void theExtensionAddsLittleToKeycloaksBuildAndStart() throws Exception {
        int rounds = Integer.getInteger("reliability.cold.rounds", 1);
        Path target = Path.of(Harness.requiredProperty("project.build.directory")).resolve("coldstart");
        Path dist = Path.of(Harness.requiredProperty("keycloak.dist.dir"));
        Path providers = Path.of(Harness.requiredProperty("keycloak.providers.dir"));
        Map<String, Path> homes = new TreeMap<>();
        homes.put("without", copy(dist, target.resolve("without"), null));
        homes.put("with", copy(dist, target.resolve("with"), providers));
        Map<String, List<double[]>> times = new TreeMap<>();
        try (PostgresServer db = PostgresServer.startOrSkip(target.resolve("postgres"))) {
            System.out.println("ColdStartScenario: warm-up (schema) " + Arrays.toString(buildAndStart(homes.get("without"), db, target, "warmup")));
            for (int r = 0; r < rounds; r++) {
                List<String> order = r % 2 == 0 ? List.of("without", "with", "with", "without") : List.of("with", "without", "without", "with");
                for (int i = 0; i < order.size(); i++) {
                    String side = order.get(i);
                    double[] t = buildAndStart(homes.get(side), db, target, side + "-" + r + "-" + i);
                    times.computeIfAbsent(side, k -> new ArrayList<>()).add(t);
                    System.out.printf("ColdStartScenario: %s: build %.1f s, start %.1f s (Keycloak: started in %.1f s)%n", side, t[0], t[1], t[2]);
                }
            }
        }
        double[] without = mean(times.get("without"));
        double[] with = mean(times.get("with"));
        StringBuilder md = new StringBuilder();
        md.append(format("The same distribution with and without the extension's jars in `providers/`, %d measurement(s) per side, "
                + "alternating (`%s`); production mode on one PostgreSQL whose schema a warm-up start created. Means:%n%n",
                times.get("with").size(), "without, with, with, without"));
        md.append(row("phase", "without", "with", "overhead", "target", "met"));
        md.append(row("---", "---", "---", "---", "---", "---"));
        String[] phases = {"`kc.sh build` (wall clock)", "`kc.sh start --optimized` to ready (wall clock)", "Keycloak's own \"started in\"",
                "build + start"};
        double[] w = {without[0], without[1], without[2], without[0] + without[1]};
        double[] x = {with[0], with[1], with[2], with[0] + with[1]};
        for (int i = 0; i < phases.length; i++) {
            double overhead = (x[i] - w[i]) / w[i];
            md.append(row(phases[i], format("%.1f s", w[i]), format("%.1f s", x[i]), format("%+.1f %%", 100 * overhead),
                    i == 3 ? "≤ 5 %" : "", i == 3 ? (overhead <= 0.05 ? "yes" : "no") : ""));
        }
        md.append("\nEach measurement (build / start to ready / \"started in\", seconds): ");
        for (Map.Entry<String, List<double[]>> side : times.entrySet()) {
            md.append(side.getKey()).append(' ');
            side.getValue().forEach(t -> md.append(format("%.1f / %.1f / %.1f; ", t[0], t[1], t[2])));
        }
        md.append('\n');
        Figures.report("cold-start", md.toString());
    }

    /** {build seconds, start-to-ready seconds, Keycloak's "started in" seconds}. */
    private static double[] buildAndStart(Path home, PostgresServer db, Path target, String label) throws Exception {
        long t0 = System.nanoTime();
        Process build = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "build", "--db=postgres", "--health-enabled=true")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(target.resolve(label + "-build.log").toFile()).start();
        if (!build.waitFor(15, TimeUnit.MINUTES) || build.exitValue() != 0) {
            throw new IllegalStateException("kc.sh build failed: " + Harness.logTail(target.resolve(label + "-build.log"), 30));
        }
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        int http = Harness.freePort();
        int management = Harness.freePort();
        Path log = target.resolve(label + "-start.log");
        long t1 = System.nanoTime();
        Process p = Harness.launchKeycloak(home, List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + http, "--http-management-port=" + management,
                "--hostname=http://localhost:" + http, "--db-url=" + db.jdbcUrl(), "--db-username=" + PostgresServer.USERNAME,
                "--db-password=" + PostgresServer.PASSWORD, "--cache=local"), log);
        try {
            Harness.awaitReady("Keycloak (" + label + ")", p, List.of(URI.create("http://127.0.0.1:" + management + "/health/ready"),
                    URI.create("http://127.0.0.1:" + http + "/realms/master/.well-known/openid-configuration")),
                    Duration.ofMinutes(10), log, p::destroyForcibly);
            double startSeconds = (System.nanoTime() - t1) / 1e9;
            Matcher m = STARTED_IN.matcher(String.join("\n", Harness.logLines(log)));
            return new double[] {buildSeconds, startSeconds, m.find() ? Double.parseDouble(m.group(1)) : Double.NaN};
        } finally {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private static Path copy(Path dist, Path home, Path providers) throws IOException {
        Harness.deleteRecursively(home);
        try (Stream<Path> walk = Files.walk(dist)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                if (source.startsWith(dist.resolve("data"))) {
                    continue;
                }
                Path to = home.resolve(dist.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(source, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        if (providers != null) {
            try (Stream<Path> jars = Files.list(providers)) {
                for (Path jar : jars.filter(j -> j.toString().endsWith(".jar")).toList()) {
                    Files.copy(jar, home.resolve("providers").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return home;
    }

    private static double[] mean(List<double[]> runs) {
        double[] m = new double[3];
        for (double[] r : runs) {
            for (int i = 0; i < 3; i++) {
                m[i] += r[i] / runs.size();
            }
        }
        return m;
    }
}
