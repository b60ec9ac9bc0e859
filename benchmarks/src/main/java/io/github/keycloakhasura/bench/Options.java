package io.github.keycloakhasura.bench;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The load benchmark's options, as parsed. */
final class Options {

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
              --only a,b           only these pairs: login,refresh,verify,mapper,switch,organizations,claims-query,whoami,webhook,
                                   passkey-login,login-code,pat-webhook,pat-login,sign-up-sync,users,enumeration
              --enumeration-samples N  answers per kind of address in the enumeration timing (default 100; quick 30)
              --jmh-result FILE    JMH JSON result to include in the report
              --out FILE           Markdown report (default docs/benchmarks.md; '-' for none)
            """;

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
    int enumerationSamples = 100;
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
                    o.enumerationSamples = 30;
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
                case "--enumeration-samples" -> o.enumerationSamples = Integer.parseInt(list.get(++i));
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
        if (o.concurrency < 1 || o.duration < 1 || o.rounds < 1 || o.warmup < 0 || o.warmupAll < 1 || o.users < o.smallUsers || o.enumerationSamples < 1
                || !Set.of("auto", "postgres", "h2").contains(o.db)) {
            throw new IllegalArgumentException("bad options\n" + USAGE);
        }
        return o;
    }

    boolean wants(String pair) {
        return only.isEmpty() || only.contains(pair);
    }
}
