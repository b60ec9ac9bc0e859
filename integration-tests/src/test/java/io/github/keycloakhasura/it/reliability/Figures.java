package io.github.keycloakhasura.it.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The arithmetic of the reliability runs (percentiles, rates, recovery) and where their Markdown goes: with
 * {@code -Dreliability.report.dir} (set by {@code scripts/reliability.sh}) each scenario writes {@code <name>.md}
 * there for the script to put into {@code docs/reliability.md}; it is printed either way.
 */
public final class Figures {

    private Figures() {
    }

    public static int clients() {
        return Integer.getInteger("reliability.clients", 10);
    }

    public static int seconds() {
        return Integer.getInteger("reliability.seconds", 20);
    }

    /** The p-th percentile of the calls' durations in milliseconds (0 without calls). */
    public static long percentile(List<Call> calls, double p) {
        long[] millis = calls.stream().mapToLong(Call::millis).sorted().toArray();
        return percentile(millis, p);
    }

    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    public static double percentileNanos(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return percentile(sorted, p) / 1e6;
    }

    public static List<Call> where(List<Call> calls, Predicate<Call> p) {
        return calls.stream().filter(p).toList();
    }

    /** Successful calls per second that ended in [from, to) ms. */
    public static double okRate(List<Call> calls, long from, long to) {
        long n = calls.stream().filter(c -> c.ok() && c.endMillis() >= from && c.endMillis() < to).count();
        return to > from ? n * 1000.0 / (to - from) : 0;
    }

    /**
     * Milliseconds from {@code event} until the end of the last call that ended after it and failed or had to be
     * retried away from {@code deadNode} (what a client notices); 0 when there was none.
     */
    public static long recovery(List<Call> calls, long event, String deadNode) {
        return calls.stream()
                .filter(c -> c.endMillis() >= event)
                .filter(c -> !c.ok() || (deadNode != null && deadNode.equals(c.retriedFrom())))
                .mapToLong(c -> c.endMillis() - event).max().orElse(0);
    }

    public static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }

    /** Prints the section and, with {@code -Dreliability.report.dir}, writes it to {@code <dir>/<scenario>.md}. */
    public static void report(String scenario, String markdown) {
        System.out.println("==== reliability: " + scenario + "\n" + markdown);
        String dir = System.getProperty("reliability.report.dir");
        if (dir == null || dir.isBlank()) {
            return;
        }
        try {
            Path file = Files.createDirectories(Path.of(dir)).resolve(scenario + ".md");
            Files.writeString(file, markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Markdown table row. */
    public static String row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) {
            b.append(' ').append(c).append(" |");
        }
        return b.append('\n').toString();
    }
}
