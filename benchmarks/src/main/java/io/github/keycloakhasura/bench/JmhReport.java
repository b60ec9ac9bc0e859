package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The JMH part of docs/benchmarks.md: JMH's JSON result read, and its section written or replaced. */
final class JmhReport {

    private JmhReport() {
    }

    /** One JMH benchmark result. */
    record JmhRow(String name, String mode, double score, double error, String unit) {
    }

    static final String JMH_HEADING = "## The GraphQL layer alone (JMH)";

    /** The JMH section; {@code note} (e.g. when it was run apart from the load part) is added when not null. */
    static String section(List<JmhRow> jmh, String note) {
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
        return report.substring(0, start) + section(jmh, note) + Report.notes();
    }

    private static double toMicros(double value, String unit) {
        return switch (unit) {
            case "ns/op" -> value / 1000;
            case "ms/op" -> value * 1000;
            default -> value;
        };
    }

    static List<JmhRow> read(Path file) throws IOException {
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
}
