package io.github.keycloakhasura.bench;

import io.github.keycloakhasura.bench.Pair.Sides;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.DistributionKeycloakServer;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.PostgresServer;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Native Keycloak endpoints against the GraphQL endpoint, pair by pair, on one real Keycloak with the extension
 * (started here, on free ports, from the distribution the {@code bench} profile unpacked). Each pair is warmed up,
 * then measured in alternating windows (native, extension, extension, native, …) so drift hits both sides alike.
 * Prints the table and writes it, with the machine, to a Markdown file. Run through {@code scripts/benchmark.sh}.
 */
public final class LoadBenchmark {

    /** System property: the project's realm export as it is (the import directory's copy has no users). */
    static final String REALM_EXPORT = "bench.realm.export";

    private final Options options;
    private final Load load;
    private final BenchRealm realm;
    private final String baseUrl;
    private final KeycloakServer server;
    private final BenchReceivers receivers;
    private final List<Pair> done = new ArrayList<>();
    private final Report.Run run = new Report.Run();

    private LoadBenchmark(Options options, KeycloakServer server, BenchReceivers receivers) {
        this.options = options;
        this.load = new Load(options.concurrency, ServerCpu.find().orElse(null));
        this.realm = new BenchRealm(server);
        this.baseUrl = server.baseUrl();
        this.server = server;
        this.receivers = receivers;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--update-jmh")) {
            // scripts/benchmark.sh --jmh-only: put a new JMH result into an existing report, leave the rest as it is.
            Path report = Path.of(args[1]);
            if (Files.exists(report)) {
                String note = "Run apart from the load part, on " + java.time.ZonedDateTime.now().format(
                        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")) + ", load average " + Report.loadAverage() + ".";
                Files.writeString(report, JmhReport.replaceJmhSection(Files.readString(report), JmhReport.read(Path.of(args[2])), note));
                log("Updated the JMH section of " + report);
            }
            return;
        }
        Options options = Options.parse(args);
        Report.Run machineBefore = new Report.Run();
        machineBefore.loadBefore = Report.loadAverage();
        Path realmExport = Path.of(required("keycloak.realm.dir")).resolve("app-realm.json");
        Path importDir = Path.of(required("keycloak.log.file")).toAbsolutePath().getParent().resolve("bench-import");
        BenchRealm.writeImport(realmExport, importDir, options.concurrency, options.smallUsers, options.users, options.hashIterations);
        // DistributionKeycloakServer imports every JSON file of this directory (realms and <realm>-users-N.json files).
        System.setProperty(REALM_EXPORT, realmExport.toString());
        System.setProperty("keycloak.realm.dir", importDir.toString());
        Optional<Path> postgresBinaries = options.db.equals("h2") ? Optional.empty() : PostgresServer.findBinaries();
        if (options.db.equals("postgres") && postgresBinaries.isEmpty()) {
            throw new IllegalStateException("--db postgres: PostgreSQL server binaries not found (on Debian/Ubuntu: "
                    + "apt-get install -y --no-install-recommends postgresql), or use --db h2");
        }
        log("Starting Keycloak " + System.getProperty("keycloak.version") + " (its own distribution, fresh "
                + (postgresBinaries.isPresent() ? "PostgreSQL" : "H2") + " database), "
                + "importing realm app with " + Report.count(options.smallUsers) + " users and realm " + BenchRealm.LARGE_REALM
                + " with " + Report.count(options.users) + " users");
        long t0 = System.nanoTime();
        try (BenchReceivers receivers = BenchReceivers.start(options);
             PostgresServer postgres = postgresBinaries.map(bin -> PostgresServer.start(bin, importDir.resolveSibling("bench-postgres")))
                .orElse(null);
             DistributionKeycloakServer server = DistributionKeycloakServer.start(serverOptions(postgres, receivers))) {
            String database = postgres == null ? "H2 file database (start-dev's default)"
                    : "PostgreSQL " + postgres.psql("SHOW server_version").trim() + " (local, throwaway, fsync off)";
            double startSeconds = seconds(System.nanoTime() - t0);
            LoadBenchmark benchmark = new LoadBenchmark(options, server, receivers);
            benchmark.run.loadBefore = machineBefore.loadBefore;
            benchmark.run.startSeconds = startSeconds;
            benchmark.run.database = database;
            benchmark.run.importSeconds = Report.importSeconds(Path.of(required("keycloak.log.file")));
            log("Keycloak ready in " + startSeconds + " s (import " + benchmark.run.importSeconds + " s): " + server.describe());
            benchmark.execute();
        }
    }

    /**
     * The server's options: the database, and the trust boundary's allowed clients. verifyToken's pair uses tokens of
     * {@link BenchRealm#AUDIENCE_CLIENT} (Keycloak's introspection needs the introspector in their audience), which
     * the extension accepts only when that client is allowed, as an operator would configure it.
     */
    private static List<String> serverOptions(PostgresServer postgres, BenchReceivers receivers) {
        List<String> options = new ArrayList<>(List.of("--spi-realm-restapi-extension--graphql--allowed-clients="
                + KeycloakServer.CLIENT_ID + "," + BenchRealm.AUDIENCE_CLIENT));
        options.addAll(receivers.serverOptions());
        if (postgres != null) {
            options.addAll(List.of("--db=postgres", "--db-url=" + postgres.jdbcUrl(), "--db-username=" + PostgresServer.USERNAME,
                    "--db-password=" + PostgresServer.PASSWORD));
        }
        return options;
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("System property " + property + " is not set (run scripts/benchmark.sh)");
        }
        return value;
    }

    private void execute() throws IOException {
        long started = System.nanoTime();
        run.options = options;
        run.startedAt = java.time.ZonedDateTime.now();
        log("Setting up realm app: the introspector and the clients with and without the hasura scope");
        realm.setUp();
        int small = realm.userCount(KeycloakServer.REALM);
        int large = realm.userCount(BenchRealm.LARGE_REALM);
        log("Realm app has " + small + " users, realm " + BenchRealm.LARGE_REALM + " " + large);
        if (small != options.smallUsers || large != options.users) {
            throw new IllegalStateException("the import did not create the expected users");
        }

        List<Pair> pairs = new Pairs(options, load, realm, baseUrl, receivers).all();

        log("Checking every endpoint, then warming up every pair for " + options.warmupAll + " s, both sides interleaved");
        Duration touch = Duration.ofSeconds(options.warmupAll);
        for (Pair pair : pairs) {
            Sides sides = pair.sides();
            check(pair, sides);
            load.run(Load.Scenario.mixed(sides.nativeSide(), sides.extensionSide()), touch);
        }
        for (Pair pair : pairs) {
            measure(pair);
        }
        if (options.wants("enumeration")) {
            log("Enumeration timing: sendPasswordResetEmail, resendActivationEmail, createUser (verify email), "
                    + options.enumerationSamples + " answers per kind of address");
            run.enumeration = EnumerationReport.measure(server, Path.of(required("keycloak.realm.dir")).resolve("app-realm.json"),
                    options.enumerationSamples);
            run.enumeration.forEach(r -> log("  " + r));
        }
        run.loadAfter = Report.loadAverage();
        run.totalSeconds = seconds(System.nanoTime() - started);
        run.pairs = done;
        run.jmh = options.jmhResult == null ? null : JmhReport.read(options.jmhResult);
        String table = Report.table(run);
        System.out.println();
        System.out.println(table);
        if (options.out != null) {
            Files.createDirectories(options.out.toAbsolutePath().getParent());
            Files.writeString(options.out, Report.markdown(run));
            log("Wrote " + options.out);
        }
    }

    private void measure(Pair pair) {
        int rounds = options.rounds * pair.roundsFactor;
        log("Measuring " + pair.key + ": warm-up " + options.warmup + " s per side, then " + rounds + " x "
                + options.duration + " s per side, alternating");
        if (options.warmup > 0) {
            // Both sides interleaved, so the JIT compiles the shared Keycloak code for both before anything counts.
            Sides sides = pair.sides();
            load.run(Load.Scenario.mixed(sides.nativeSide(), sides.extensionSide()), Duration.ofSeconds(2L * options.warmup));
        }
        Duration window = Duration.ofSeconds(options.duration);
        for (int round = 0; round < rounds; round++) {
            boolean nativeFirst = round % 2 == 0;
            Load.Result n = null;
            Load.Result e = null;
            for (int side = 0; side < 2; side++) {
                Sides sides = pair.sides();
                if ((side == 0) == nativeFirst) {
                    n = load.run(sides.nativeSide(), window);
                } else {
                    e = load.run(sides.extensionSide(), window);
                }
            }
            pair.nativeResult.add(n);
            pair.extensionResult.add(e);
            pair.roundRatios.add(e.throughput() / n.throughput());
            log(String.format("  round %d: native %.1f/s (p50 %.2f ms, CPU %.2f ms/req, %d errors), extension %.1f/s "
                            + "(p50 %.2f ms, CPU %.2f ms/req, %d errors), ratio %.3f, CPU ratio %.3f",
                    round + 1, n.throughput(), n.percentileMillis(50), n.cpuMillisPerRequest(), n.errors, e.throughput(),
                    e.percentileMillis(50), e.cpuMillisPerRequest(), e.errors, e.throughput() / n.throughput(),
                    n.cpuMillisPerRequest() / e.cpuMillisPerRequest()));
            if (n.firstError != null || e.firstError != null) {
                log("    first error: " + (n.firstError != null ? "native " + n.firstError : "extension " + e.firstError));
            }
        }
        done.add(pair);
    }

    /** One request per side, checked properly (the load only looks at a prefix of the body). */
    private void check(Pair pair, Sides sides) {
        for (Load.Scenario scenario : List.of(sides.nativeSide(), sides.extensionSide())) {
            HttpResponse<String> r = load.once(load.first(scenario));
            if (r.statusCode() != 200 || !scenario.ok(r.body())) {
                throw new IllegalStateException(pair.key + ": " + r.uri() + " answered " + r.statusCode() + " " + r.body());
            }
            JsonNode json;
            try {
                json = Http.JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(pair.key + ": not JSON: " + r.body(), e);
            }
            if (json.has("errors")) {
                throw new IllegalStateException(pair.key + ": GraphQL errors: " + r.body());
            }
        }
    }

    static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }

    static void log(String message) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
        System.out.flush();
    }
}
