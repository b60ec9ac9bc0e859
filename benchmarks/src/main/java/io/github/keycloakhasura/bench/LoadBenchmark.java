package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.DistributionKeycloakServer;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.PostgresServer;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Native Keycloak endpoints against the GraphQL endpoint, pair by pair, on one real Keycloak with the extension
 * (started here, on free ports, from the distribution the {@code bench} profile unpacked). Each pair is warmed up,
 * then measured in alternating windows (native, extension, extension, native, …) so drift hits both sides alike.
 * Prints the table and writes it, with the machine, to a Markdown file. Run through {@code scripts/benchmark.sh}.
 */
public final class LoadBenchmark {

    static final String USAGE = """
            LoadBenchmark [options]   (normally run by scripts/benchmark.sh, which passes the system properties)
              --duration S         seconds per measured window (default 6)
              --rounds N           windows per side and pair, alternating sides (default 3)
              --warmup-all S       first, every pair in turn for S seconds, both sides interleaved, so the JIT has
                                   compiled Keycloak's and the extension's paths before anything counts (default 15)
              --warmup S           warm-up seconds per side before each pair, both sides interleaved (default 5)
              --db KIND            postgres (a throwaway local PostgreSQL, as in production), h2 (start-dev's file
                                   database) or auto: postgres when its server binaries are installed (default)
              --concurrency N      concurrent clients (default 4)
              --users N            the large user count for users(first: 50) (default 100000)
              --small-users N      the small user count (default 1000)
              --quick              --users 10000 --duration 3 --rounds 2 --warmup 2 --warmup-all 3
              --hash-iterations N  override the realm's password hashing iterations (default: Keycloak's)
              --only a,b           only these pairs: login,refresh,verify,mapper,whoami,webhook,users
              --jmh-result FILE    JMH JSON result to include in the report
              --out FILE           Markdown report (default docs/benchmarks.md; '-' for none)
            """;

    /** Options, as parsed. */
    static final class Options {
        int duration = 6;
        int rounds = 3;
        int warmup = 5;
        int warmupAll = 15;
        String db = "auto";
        int concurrency = 4;
        int users = 100_000;
        int smallUsers = 1_000;
        boolean quick;
        int hashIterations;
        Set<String> only = new LinkedHashSet<>();
        Path jmhResult;
        Path out = Path.of("docs/benchmarks.md");

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> list = List.of(args);
            for (int i = 0; i < list.size(); i++) {
                String a = list.get(i);
                switch (a) {
                    case "--quick" -> {
                        o.quick = true;
                        o.users = 10_000;
                        o.duration = 3;
                        o.rounds = 2;
                        o.warmup = 2;
                        o.warmupAll = 3;
                    }
                    case "--duration" -> o.duration = Integer.parseInt(list.get(++i));
                    case "--rounds" -> o.rounds = Integer.parseInt(list.get(++i));
                    case "--warmup" -> o.warmup = Integer.parseInt(list.get(++i));
                    case "--warmup-all" -> o.warmupAll = Integer.parseInt(list.get(++i));
                    case "--db" -> o.db = list.get(++i);
                    case "--concurrency" -> o.concurrency = Integer.parseInt(list.get(++i));
                    case "--users" -> o.users = Integer.parseInt(list.get(++i));
                    case "--small-users" -> o.smallUsers = Integer.parseInt(list.get(++i));
                    case "--hash-iterations" -> o.hashIterations = Integer.parseInt(list.get(++i));
                    case "--only" -> o.only.addAll(List.of(list.get(++i).split(",")));
                    case "--jmh-result" -> o.jmhResult = Path.of(list.get(++i));
                    case "--out" -> {
                        String value = list.get(++i);
                        o.out = value.equals("-") ? null : Path.of(value);
                    }
                    case "-h", "--help" -> {
                        System.out.print(USAGE);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
                }
            }
            if (o.concurrency < 1 || o.duration < 1 || o.rounds < 1 || o.warmup < 0 || o.warmupAll < 1 || o.users < o.smallUsers
                    || !Set.of("auto", "postgres", "h2").contains(o.db)) {
                throw new IllegalArgumentException("bad options\n" + USAGE);
            }
            return o;
        }

        boolean wants(String pair) {
            return only.isEmpty() || only.contains(pair);
        }
    }

    /** How a pair is judged. */
    enum Kind {
        /** extension throughput / native throughput at least the target. */
        RATIO,
        /** with-mapper vs. without-mapper throughput: the overhead (1 - ratio) at most the target. */
        OVERHEAD,
        /** users: extension p50 below the target (ms); the 100k/1k growth is judged separately. */
        LATENCY,
        /** shown for information. */
        NONE
    }

    /** The two sides of a comparison, built afresh (tokens) before each measured window. */
    record Sides(Load.Scenario nativeSide, Load.Scenario extensionSide) {
    }

    /** One row of the table. */
    /** The mapper pair measures this many times {@code --rounds} windows per side. */
    static final int MAPPER_ROUNDS_FACTOR = 2;

    static final class Pair {
        final String key;
        final String operation;
        final String nativeLabel;
        final String extensionLabel;
        final Kind kind;
        final double target;
        final java.util.function.Supplier<Sides> prepare;
        Sides sides;
        long preparedAt;
        final Load.Result nativeResult = new Load.Result();
        final Load.Result extensionResult = new Load.Result();
        final List<Double> roundRatios = new ArrayList<>();
        /** Measured windows per side, in multiples of {@code --rounds}. */
        int roundsFactor = 1;

        Pair(String key, String operation, String nativeLabel, String extensionLabel, Kind kind, double target,
             java.util.function.Supplier<Sides> prepare) {
            this.key = key;
            this.operation = operation;
            this.nativeLabel = nativeLabel;
            this.extensionLabel = extensionLabel;
            this.kind = kind;
            this.target = target;
            this.prepare = prepare;
        }

        /** Tokens live 5 minutes: fetch new ones when the current ones are 2 minutes old. */
        Sides sides() {
            if (sides == null || System.nanoTime() - preparedAt > Duration.ofMinutes(2).toNanos()) {
                sides = prepare.get();
                preparedAt = System.nanoTime();
            }
            return sides;
        }

        double ratio() {
            return extensionResult.throughput() / nativeResult.throughput();
        }
    }

    private final Options options;
    private final Load load;
    private final BenchRealm realm;
    private final String baseUrl;
    private final String graphqlUrl;
    private final String oidcUrl;
    private final List<Pair> done = new ArrayList<>();
    private final Report.Run run = new Report.Run();

    private LoadBenchmark(Options options, KeycloakServer server) {
        this.options = options;
        this.load = new Load(options.concurrency, ServerCpu.find().orElse(null));
        this.realm = new BenchRealm(server);
        this.baseUrl = server.baseUrl();
        this.graphqlUrl = server.realmUrl() + "/graphql";
        this.oidcUrl = server.realmUrl() + "/protocol/openid-connect";
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--update-jmh")) {
            // scripts/benchmark.sh --jmh-only: put a new JMH result into an existing report, leave the rest as it is.
            Path report = Path.of(args[1]);
            if (Files.exists(report)) {
                String note = "Run apart from the load part, on " + java.time.ZonedDateTime.now().format(
                        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")) + ", load average " + Report.loadAverage() + ".";
                Files.writeString(report, Report.replaceJmhSection(Files.readString(report), Report.readJmh(Path.of(args[2])), note));
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
        try (PostgresServer postgres = postgresBinaries.map(bin -> PostgresServer.start(bin, importDir.resolveSibling("bench-postgres")))
                .orElse(null);
             DistributionKeycloakServer server = DistributionKeycloakServer.start(postgres == null ? List.of() : List.of(
                     "--db=postgres", "--db-url=" + postgres.jdbcUrl(), "--db-username=" + PostgresServer.USERNAME,
                     "--db-password=" + PostgresServer.PASSWORD))) {
            String database = postgres == null ? "H2 file database (start-dev's default)"
                    : "PostgreSQL " + postgres.psql("SHOW server_version").trim() + " (local, throwaway, fsync off)";
            double startSeconds = seconds(System.nanoTime() - t0);
            LoadBenchmark benchmark = new LoadBenchmark(options, server);
            benchmark.run.loadBefore = machineBefore.loadBefore;
            benchmark.run.startSeconds = startSeconds;
            benchmark.run.database = database;
            benchmark.run.importSeconds = Report.importSeconds(Path.of(required("keycloak.log.file")));
            log("Keycloak ready in " + startSeconds + " s (import " + benchmark.run.importSeconds + " s): " + server.describe());
            benchmark.execute();
        }
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

        List<Pair> pairs = new ArrayList<>();
        if (options.wants("login")) {
            pairs.add(new Pair("login", "login", "password grant at `/token`", "`tokenAuth`", Kind.RATIO, 0.97, this::login));
        }
        if (options.wants("refresh")) {
            pairs.add(new Pair("refresh", "refresh", "refresh grant at `/token`", "`refreshToken`", Kind.RATIO, 0.95, this::refresh));
        }
        if (options.wants("verify")) {
            pairs.add(new Pair("verify", "verify", "`/token/introspect` (client auth)", "`verifyToken`", Kind.RATIO, 1.0, this::verify));
        }
        if (options.wants("mapper")) {
            Pair mapper = new Pair("mapper", "token issuance with vs. without the Hasura mapper",
                    "refresh grant, client without `hasura` scope", "same, client with `hasura` scope", Kind.OVERHEAD, 0.02,
                    this::mapper);
            // Its 2 % target is below what one window resolves on a shared machine (single rounds move by ±5 %).
            mapper.roundsFactor = MAPPER_ROUNDS_FACTOR;
            pairs.add(mapper);
            // The same request on both sides, measured the same way: how far two identical sides drift apart on this
            // machine in one run, the yardstick for the mapper's few percent.
            Pair same = new Pair("same", "the same request on both sides (the run's noise floor)",
                    "refresh grant, client without `hasura` scope", "the same", Kind.NONE, 0, this::sameRequest);
            same.roundsFactor = MAPPER_ROUNDS_FACTOR;
            pairs.add(same);
        }
        if (options.wants("whoami")) {
            pairs.add(new Pair("whoami", "`whoami`", "`/userinfo`", "`whoami`", Kind.RATIO, 1.0, this::whoami));
        }
        if (options.wants("webhook")) {
            pairs.add(new Pair("webhook", "Hasura auth webhook (called on every Hasura request in webhook mode)", "`/userinfo`",
                    "`GET /hasura/webhook`", Kind.RATIO, 1.0, this::webhook));
        }
        String smallLabel = Report.count(options.smallUsers);
        String largeLabel = Report.count(options.users);
        if (options.wants("users")) {
            pairs.add(new Pair("users-small", "`users(first: 50)` at " + smallLabel + " users",
                    "admin REST `GET /users?first=0&max=50`", "`users(first: 50)`", Kind.LATENCY, 50,
                    () -> users(KeycloakServer.REALM, false)));
            pairs.add(new Pair("users-large", "`users(first: 50)` at " + largeLabel + " users",
                    "admin REST `GET /users?first=0&max=50`", "`users(first: 50)`", Kind.LATENCY, 50,
                    () -> users(BenchRealm.LARGE_REALM, false)));
            pairs.add(new Pair("users-roles-small", "`users(first: 50)` + `roles`, `profile { role }` at " + smallLabel + " users",
                    "admin REST `GET /users?first=0&max=50`", "`users(first: 50) { … roles profile { role } }`", Kind.NONE, 0,
                    () -> users(KeycloakServer.REALM, true)));
            pairs.add(new Pair("users-roles-large", "`users(first: 50)` + `roles`, `profile { role }` at " + largeLabel + " users",
                    "admin REST `GET /users?first=0&max=50`", "`users(first: 50) { … roles profile { role } }`", Kind.NONE, 0,
                    () -> users(BenchRealm.LARGE_REALM, true)));
        }

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
        run.loadAfter = Report.loadAverage();
        run.totalSeconds = seconds(System.nanoTime() - started);
        run.pairs = done;
        run.jmh = options.jmhResult == null ? null : Report.readJmh(options.jmhResult);
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
            HttpResponse<String> r = load.once(scenario.request(0, 0));
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

    // ------------------------------------------------------------------------------------------ the pairs

    private Sides login() {
        String query = "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
                + "{ token refreshToken payload refreshExpiresIn } }";
        // Keycloak's brute-force protection refuses a login while the previous one of the same user is still being
        // accounted for (off the request thread): each worker cycles through its own users.
        List<List<HttpRequest>> nat = new ArrayList<>();
        List<List<HttpRequest>> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            List<HttpRequest> n = new ArrayList<>();
            List<HttpRequest> e = new ArrayList<>();
            for (int k = 0; k < BenchRealm.LOGIN_USERS_PER_WORKER; k++) {
                String username = BenchRealm.loginUser(w, k);
                n.add(form(oidcUrl + "/token", Map.of("grant_type", "password", "client_id", KeycloakServer.CLIENT_ID,
                        "username", username, "password", BenchRealm.PASSWORD), null));
                e.add(graphql(query, Map.of("u", username, "p", BenchRealm.PASSWORD), null));
            }
            nat.add(n);
            ext.add(e);
        }
        return new Sides(rotating(nat, b -> b.contains("\"access_token\"")), rotating(ext, LoadBenchmark::graphqlOk));
    }

    private Sides refresh() {
        String query = "mutation ($t: String!) { refreshToken(refreshToken: $t) { token refreshToken payload refreshExpiresIn } }";
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            // The realm does not rotate refresh tokens (revokeRefreshToken=false): each worker reuses its own.
            String refresh = realm.login(KeycloakServer.REALM, KeycloakServer.CLIENT_ID, BenchRealm.worker(w), null).get("refresh_token").asText();
            nat.add(form(oidcUrl + "/token", Map.of("grant_type", "refresh_token", "client_id", KeycloakServer.CLIENT_ID,
                    "refresh_token", refresh), null));
            ext.add(graphql(query, Map.of("t", refresh), null));
        }
        return new Sides(side(nat, b -> b.contains("\"access_token\"")), side(ext, LoadBenchmark::graphqlOk));
    }

    private Sides verify() {
        String query = "mutation ($t: String!) { verifyToken(token: $t) { payload } }";
        String basic = "Basic " + Base64.getEncoder().encodeToString((BenchRealm.INTROSPECTOR + ":" + realm.introspectorSecret())
                .getBytes(StandardCharsets.UTF_8));
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            // Tokens of a client whose audience mapper names the introspector (Keycloak 26 checks aud on introspection).
            String access = realm.login(KeycloakServer.REALM, BenchRealm.AUDIENCE_CLIENT, BenchRealm.worker(w), null).get("access_token").asText();
            nat.add(form(oidcUrl + "/token/introspect", Map.of("token", access), basic));
            ext.add(graphql(query, Map.of("t", access), null));
        }
        return new Sides(side(nat, b -> b.contains("\"active\":true")), side(ext, LoadBenchmark::graphqlOk));
    }

    private Sides mapper() {
        List<HttpRequest> without = new ArrayList<>();
        List<HttpRequest> with = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            String plain = realm.login(KeycloakServer.REALM, BenchRealm.WITHOUT_MAPPER, BenchRealm.worker(w), null).get("refresh_token").asText();
            String hasura = realm.login(KeycloakServer.REALM, BenchRealm.WITH_MAPPER, BenchRealm.worker(w), null).get("refresh_token").asText();
            without.add(form(oidcUrl + "/token", Map.of("grant_type", "refresh_token", "client_id", BenchRealm.WITHOUT_MAPPER,
                    "refresh_token", plain), null));
            with.add(form(oidcUrl + "/token", Map.of("grant_type", "refresh_token", "client_id", BenchRealm.WITH_MAPPER,
                    "refresh_token", hasura), null));
        }
        // Both sides must differ only in the claims.
        requireClaims(with.get(0), true);
        requireClaims(without.get(0), false);
        return new Sides(side(without, b -> b.contains("\"access_token\"")), side(with, b -> b.contains("\"access_token\"")));
    }

    /** The mapper pair's side without the mapper, on both sides. */
    private Sides sameRequest() {
        Sides mapper = mapper();
        return new Sides(mapper.nativeSide(), mapper.nativeSide());
    }

    private void requireClaims(HttpRequest refresh, boolean present) {
        HttpResponse<String> r = load.once(refresh);
        try {
            String access = Http.JSON.readTree(r.body()).get("access_token").asText();
            String payload = new String(Base64.getUrlDecoder().decode(access.split("\\.")[1]), StandardCharsets.UTF_8);
            if (payload.contains("https://hasura.io/jwt/claims") != present) {
                throw new IllegalStateException("Hasura claims " + (present ? "missing from" : "present in") + " " + payload);
            }
        } catch (IOException e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    private Sides whoami() {
        String query = "{ whoami { id username email firstName lastName emailVerified profile { role } hasura } }";
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            // userinfo needs the openid scope in the token.
            String access = realm.login(KeycloakServer.REALM, KeycloakServer.CLIENT_ID, BenchRealm.worker(w), "openid").get("access_token").asText();
            nat.add(get(oidcUrl + "/userinfo", access));
            ext.add(graphql(query, null, access));
        }
        return new Sides(side(nat, b -> b.contains("\"sub\"")), side(ext, LoadBenchmark::graphqlOk));
    }

    /** The same access token on both sides: what Keycloak answers about it vs. the session variables Hasura needs. */
    private Sides webhook() {
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            // userinfo needs the openid scope in the token; the webhook accepts the same token.
            String access = realm.login(KeycloakServer.REALM, KeycloakServer.CLIENT_ID, BenchRealm.worker(w), "openid").get("access_token").asText();
            nat.add(get(oidcUrl + "/userinfo", access));
            ext.add(get(baseUrl + "/realms/" + KeycloakServer.REALM + "/hasura/webhook", access));
        }
        return new Sides(side(nat, b -> b.contains("\"sub\"")), side(ext, b -> b.contains("\"X-Hasura-User-Id\"")));
    }

    private Sides users(String realmName, boolean roles) {
        String fields = "id username email firstName lastName emailVerified isActive dateJoined"
                + (roles ? " roles profile { role }" : "");
        String query = "{ users(first: 50) { " + fields + " } }";
        String access = realm.login(realmName, KeycloakServer.CLIENT_ID, BenchRealm.MANAGER, null).get("access_token").asText();
        // The manager holds the manager role (GraphQL) and realm-management view-users (admin REST): one token for both.
        String adminUsers = baseUrl + "/admin/realms/" + realmName + "/users?first=0&max=50&briefRepresentation=true";
        String endpoint = baseUrl + "/realms/" + realmName + "/graphql";
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            nat.add(get(adminUsers, access));
            ext.add(graphql(endpoint, query, null, access));
        }
        return new Sides(side(nat, b -> b.startsWith("[{")), side(ext, LoadBenchmark::graphqlOk));
    }

    // ------------------------------------------------------------------------------------------ requests

    private static boolean graphqlOk(String body) {
        // The engine writes "errors" before "data": a body that starts with data has no errors.
        return body.startsWith("{\"data\":{\"") && !body.contains("\"errors\"");
    }

    /** One request per worker. */
    private static Load.Scenario side(List<HttpRequest> requests, Predicate<String> ok) {
        return rotating(requests.stream().map(List::of).toList(), ok);
    }

    /** Each worker cycles through its own list of requests. */
    private static Load.Scenario rotating(List<List<HttpRequest>> perWorker, Predicate<String> ok) {
        return new Load.Scenario() {
            @Override
            public HttpRequest request(int worker, long n) {
                List<HttpRequest> own = perWorker.get(worker % perWorker.size());
                return own.get((int) (n % own.size()));
            }

            @Override
            public boolean ok(String body) {
                return ok.test(body);
            }
        };
    }

    private static HttpRequest form(String url, Map<String, String> form, String authorization) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private HttpRequest graphql(String query, Map<String, Object> variables, String bearer) {
        return graphql(graphqlUrl, query, variables, bearer);
    }

    private static HttpRequest graphql(String url, String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        if (variables != null) {
            body.put("variables", variables);
        }
        String text;
        try {
            text = Http.JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(text));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return b.build();
    }

    private static HttpRequest get(String url, String bearer) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + bearer).GET().build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }

    static void log(String message) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
        System.out.flush();
    }
}
