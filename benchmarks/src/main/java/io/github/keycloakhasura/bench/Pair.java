package io.github.keycloakhasura.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** One row of the table: a native endpoint against the extension's, how it is judged, and what was measured. */
final class Pair {

    /** The mapper pair measures this many times {@code --rounds} windows per side. */
    static final int MAPPER_ROUNDS_FACTOR = 2;

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

    final String key;
    final String operation;
    final String nativeLabel;
    final String extensionLabel;
    final Kind kind;
    final double target;
    final Supplier<Sides> prepare;
    Sides sides;
    long preparedAt;
    final Load.Result nativeResult = new Load.Result();
    final Load.Result extensionResult = new Load.Result();
    final List<Double> roundRatios = new ArrayList<>();
    /** Measured windows per side, in multiples of {@code --rounds}. */
    int roundsFactor = 1;
    /** Sides whose requests are used up (emailed one-time codes): built afresh for every window. */
    boolean singleUse;

    Pair(String key, String operation, String nativeLabel, String extensionLabel, Kind kind, double target,
         Supplier<Sides> prepare) {
        this.key = key;
        this.operation = operation;
        this.nativeLabel = nativeLabel;
        this.extensionLabel = extensionLabel;
        this.kind = kind;
        this.target = target;
        this.prepare = prepare;
    }

    /** Tokens live 5 minutes: fetch new ones when the current ones are 2 minutes old (single-use sides: always). */
    Sides sides() {
        if (sides == null || singleUse || System.nanoTime() - preparedAt > Duration.ofMinutes(2).toNanos()) {
            sides = prepare.get();
            preparedAt = System.nanoTime();
        }
        return sides;
    }

    double ratio() {
        return extensionResult.throughput() / nativeResult.throughput();
    }
}
