package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The table (console and Markdown) and docs/benchmarks.md. */
final class Report {

    private Report() {
    }

    /** Everything one run measured and the conditions it ran in. */
    static final class Run {
        Options options;
        ZonedDateTime startedAt;
        String loadBefore;
        String loadAfter;
        double totalSeconds;
        double startSeconds;
        double importSeconds;
        String database = "H2 file database (start-dev's default)";
        List<Pair> pairs = List.of();
        List<JmhRow> jmh;
    }

    /** One JMH benchmark result. */
    record JmhRow(String name, String mode, double score, double error, String unit) {
    }

    static String table(Run run) {
        StringBuilder t = new StringBuilder();
        t.append("| operation | native Keycloak endpoint | through the extension | native req/s | extension req/s "
                + "| native p50 / p99 (ms) | extension p50 / p99 (ms) | errors native / ext. | server CPU per request native / ext. (ms) "
                + "| ratio (rounds) | CPU ratio | target | met |\n");
        t.append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|\n");
        Pair usersSmall = find(run, "users-small").orElse(null);
        for (Pair p : run.pairs) {
            Load.Result n = p.nativeResult;
            Load.Result e = p.extensionResult;
            double ratio = p.ratio();
            double cpuRatio = n.cpuMillisPerRequest() / e.cpuMillisPerRequest();
            double lo = p.roundRatios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double hi = p.roundRatios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            String ratioText;
            String cpuText = String.format(Locale.ROOT, "%.3f", cpuRatio);
            String target;
            String met;
            switch (p.kind) {
                case RATIO -> {
                    ratioText = String.format(Locale.ROOT, "**%.3f** (%.3f–%.3f)", ratio, lo, hi);
                    target = String.format(Locale.ROOT, "≥ %.2f", p.target);
                    met = ratio >= p.target ? "yes" : "**no**";
                }
                case OVERHEAD -> {
                    double overhead = 1 - ratio;
                    ratioText = String.format(Locale.ROOT, "overhead **%.1f %%** (%.1f–%.1f)", overhead * 100, (1 - hi) * 100, (1 - lo) * 100);
                    cpuText = String.format(Locale.ROOT, "overhead %.1f %%", (1 / cpuRatio - 1) * 100);
                    target = String.format(Locale.ROOT, "overhead ≤ %.0f %%", p.target * 100);
                    met = overhead <= p.target ? "yes" : "**no**";
                }
                case LATENCY -> {
                    ratioText = String.format(Locale.ROOT, "%.3f (%.3f–%.3f)", ratio, lo, hi);
                    double p50 = e.percentileMillis(50);
                    boolean ok = p50 < p.target;
                    if (p.key.equals("users-large") && usersSmall != null) {
                        double growth = p50 / usersSmall.extensionResult.percentileMillis(50);
                        target = String.format(Locale.ROOT, "p50 < %.0f ms, %s/%s ≤ 1.5", p.target,
                                count(run.options.users), count(run.options.smallUsers));
                        met = String.format(Locale.ROOT, "%s (p50 %.1f ms, ×%.2f)", ok && growth <= 1.5 ? "yes" : "**no**", p50, growth);
                    } else {
                        target = String.format(Locale.ROOT, "p50 < %.0f ms", p.target);
                        met = String.format(Locale.ROOT, "%s (p50 %.1f ms)", ok ? "yes" : "**no**", p50);
                    }
                }
                default -> {
                    ratioText = String.format(Locale.ROOT, "%.3f (%.3f–%.3f)", ratio, lo, hi);
                    target = "—";
                    met = "—";
                }
            }
            t.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.2f / %.2f | %.2f / %.2f | %d / %d | %.2f / %.2f "
                            + "| %s | %s | %s | %s |\n",
                    p.operation, p.nativeLabel, p.extensionLabel, n.throughput(), e.throughput(),
                    n.percentileMillis(50), n.percentileMillis(99), e.percentileMillis(50), e.percentileMillis(99),
                    n.errors, e.errors, n.cpuMillisPerRequest(), e.cpuMillisPerRequest(), ratioText, cpuText, target, met));
        }
        return t.toString();
    }

    static String markdown(Run run) {
        Options o = run.options;
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Generated by `scripts/benchmark.sh").append(o.quick ? " --quick" : "").append("` on ")
                .append(run.startedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))).append(". ")
                .append("Do not edit by hand: run the script again (`--help` for the options). ")
                .append("Methodology, the optimisations and the remaining gaps are explained below the numbers.\n\n");
        md.append("## Machine and run\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| CPU | ").append(Runtime.getRuntime().availableProcessors()).append(" cores (`nproc`), ")
                .append(cpuModel()).append(" |\n");
        md.append("| memory | ").append(memory()).append(" |\n");
        md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append(" |\n");
        md.append("| JDK | ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append(" (load generator and Keycloak) |\n");
        md.append("| Keycloak | ").append(System.getProperty("keycloak.version"))
                .append(", `kc.sh start-dev` (local caches), heap `")
                .append(Optional.ofNullable(System.getenv("JAVA_OPTS_KC_HEAP")).orElse("-Xms256m -Xmx1g")).append("` |\n");
        md.append("| database | ").append(run.database).append(" |\n");
        md.append("| extension | ").append(Optional.ofNullable(System.getProperty("bench.git")).orElse("(unknown commit)")).append(" |\n");
        md.append("| load average (1/5/15 min) | before ").append(run.loadBefore).append(", after ").append(run.loadAfter)
                .append(" (the machine is shared; ratios compare windows of the same run) |\n");
        md.append("| load | ").append(o.concurrency).append(" concurrent keep-alive HTTP/1.1 clients (closed loop, JDK HttpClient) ")
                .append("on the same machine |\n");
        md.append("| windows | first every pair in turn for ").append(o.warmupAll).append(" s, then per pair: ").append(2 * o.warmup)
                .append(" s warm-up (both with the two sides interleaved request by request), then ").append(o.rounds).append(" × ")
                .append(o.duration).append(" s per side, alternating native/extension (N E, E N, …); the mapper and same-request pairs ")
                .append(Pair.MAPPER_ROUNDS_FACTOR * o.rounds).append(" × ").append(o.duration)
                .append(" s (the mapper's 2 % target is below one window's noise) |\n");
        md.append("| users | realm `app`: ").append(count(o.smallUsers)).append(", realm `").append(BenchRealm.LARGE_REALM)
                .append("` (the same realm export under another name): ").append(count(o.users))
                .append("; imported at start-up from `<realm>-users-N.json` files (passwords only for the ")
                .append(o.concurrency * (1 + BenchRealm.LOGIN_USERS_PER_WORKER))
                .append(" load users and the manager): import ").append(run.importSeconds)
                .append(" s, start-up in all ").append(run.startSeconds).append(" s |\n");
        md.append("| password hashing | ").append(o.hashIterations > 0 ? "hashIterations(" + o.hashIterations + ")"
                : "Keycloak's default (pbkdf2-sha512, 210 000 iterations)").append(" |\n");
        md.append("| duration | ").append(Math.round(run.totalSeconds)).append(" s for the load part |\n\n");

        md.append("## Native endpoint vs. the extension\n\n");
        md.append("Throughput is successful requests per second over all measured windows of a side; p50/p99 are the "
                + "latencies of those requests; errors are non-200 answers, GraphQL errors or inactive tokens. "
                + "Ratio = extension throughput / native throughput (in parentheses: lowest and highest ratio of single "
                + "rounds, a feel for the noise). Server CPU per request is the Keycloak JVM's user + system CPU time during "
                + "a side's windows divided by its successful requests; CPU ratio = native CPU per request / extension CPU per "
                + "request, the capacity ratio of a CPU-bound server, which other processes on a shared machine disturb far "
                + "less than throughput. For the mapper row the \"native\" column is the client without the "
                + "Hasura mapper and the \"extension\" column the client with it; the same-request row sends the mapper "
                + "row's request without the mapper on both sides, measured the same way: how far two identical sides "
                + "drift apart in this run.\n\n");
        md.append(table(run)).append('\n');

        md.append(jmhSection(run.jmh, null));
        md.append(notes());
        return md.toString();
    }

    static final String JMH_HEADING = "## The GraphQL layer alone (JMH)";

    /** The JMH section; {@code note} (e.g. when it was run apart from the load part) is added when not null. */
    static String jmhSection(List<JmhRow> jmh, String note) {
        StringBuilder md = new StringBuilder(JMH_HEADING).append("\n\n");
        if (jmh == null || jmh.isEmpty()) {
            return md.append("Not run in this invocation (`scripts/benchmark.sh --jmh-only` runs it and updates this section).\n\n")
                    .toString();
        }
        md.append("`GraphqlLayerBenchmark`: one request through the extension's own code with a canned Keycloak "
                + "backend: JSON body → `GraphqlEngine` (document cache hit: no parsing, validation or limit checks; "
                + "execution, error handling) → JSON response bytes. Target < 50 µs per operation. "
                + "JMH average time, one fork; ± is JMH's 99.9 % confidence half-width.");
        if (note != null) {
            md.append(' ').append(note);
        }
        md.append("\n\n| operation | time per request | target | met |\n|---|--:|---|---|\n");
        for (JmhRow row : jmh) {
            double micros = toMicros(row.score(), row.unit());
            md.append(String.format(Locale.ROOT, "| %s | %.2f ± %.2f µs | < 50 µs | %s |\n", row.name(), micros,
                    toMicros(row.error(), row.unit()), micros < 50 ? "yes" : "**no**"));
        }
        return md.append('\n').toString();
    }

    /**
     * Replaces the JMH section of an existing report, and the notes after it, with a new JMH result and the current
     * notes (for {@code scripts/benchmark.sh --jmh-only}); the load part is kept as it is.
     */
    static String replaceJmhSection(String report, List<JmhRow> jmh, String note) {
        int start = report.indexOf(JMH_HEADING);
        if (start < 0) {
            return report;
        }
        return report.substring(0, start) + jmhSection(jmh, note) + notes();
    }

    private static double toMicros(double value, String unit) {
        return switch (unit) {
            case "ns/op" -> value / 1000;
            case "ms/op" -> value * 1000;
            default -> value;
        };
    }

    static List<JmhRow> readJmh(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        List<JmhRow> rows = new ArrayList<>();
        for (JsonNode b : Http.JSON.readTree(file.toFile())) {
            String name = b.get("benchmark").asText();
            name = name.substring(name.lastIndexOf('.') + 1);
            JsonNode m = b.get("primaryMetric");
            double error = m.get("scoreError").isNumber() ? m.get("scoreError").asDouble() : Double.NaN;
            rows.add(new JmhRow(name, b.get("mode").asText(), m.get("score").asDouble(), error, m.get("scoreUnit").asText()));
        }
        return rows;
    }

    private static Optional<Pair> find(Run run, String key) {
        return run.pairs.stream().filter(p -> p.key.equals(key)).findFirst();
    }

    static String count(int n) {
        return String.format(Locale.ROOT, "%,d", n).replace(',', ' ');
    }

    /** Seconds between Keycloak's "Full model import requested" and "Import finished" log lines. */
    static double importSeconds(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            java.time.LocalDateTime start = null;
            java.time.LocalDateTime end = null;
            DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
            for (String line : lines) {
                if (line.length() < 23) {
                    continue;
                }
                if (line.contains("Full model import requested")) {
                    start = java.time.LocalDateTime.parse(line.substring(0, 23), f);
                } else if (line.contains("Import finished successfully")) {
                    end = java.time.LocalDateTime.parse(line.substring(0, 23), f);
                }
            }
            return start == null || end == null ? Double.NaN
                    : java.time.Duration.between(start, end).toMillis() / 100 / 10.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown model");
        } catch (IOException e) {
            return "unknown model";
        }
    }

    private static String memory() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream()
                    .filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0) + " GiB")
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String notes() {
        try (InputStream in = Report.class.getResourceAsStream("benchmark-notes.md")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
