package io.github.keycloakhasura.it.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Latency of one kind of GraphQL request: {@code threads} clients send requests built by {@code body} (given a random
 * int) for a warm-up and then a measured window; every answer is checked with {@code ok}, and a wrong answer fails
 * the run (a fast wrong answer is no figure).
 */
final class LatencyProbe {

    record Result(String label, int requests, double p50, double p99, double perSecond) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String url;
    private final String bearer;
    private final int threads;

    LatencyProbe(String url, String bearer, int threads) {
        this.url = url;
        this.bearer = bearer;
        this.threads = threads;
    }

    Result measure(String label, IntFunction<String> body, Predicate<String> ok, Duration warmup, Duration window) throws InterruptedException {
        run(body, ok, warmup);
        long started = System.nanoTime();
        long[] nanos = run(body, ok, window);
        double seconds = (System.nanoTime() - started) / 1e9;
        Result r = new Result(label, nanos.length, Figures.percentileNanos(nanos, 50), Figures.percentileNanos(nanos, 99), nanos.length / seconds);
        System.out.printf("  %s: %d requests, p50 %.2f ms, p99 %.2f ms%n", label, r.requests(), r.p50(), r.p99());
        return r;
    }

    private long[] run(IntFunction<String> body, Predicate<String> ok, Duration window) throws InterruptedException {
        long deadline = System.nanoTime() + window.toNanos();
        List<long[]> perThread = new ArrayList<>();
        AtomicReference<String> wrong = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        int[] counts = new int[threads];
        for (int t = 0; t < threads; t++) {
            long[] samples = new long[1_000_000];
            perThread.add(samples);
            int slot = t;
            Thread w = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() < deadline && wrong.get() == null && n < samples.length) {
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.apply(ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE))));
                    if (bearer != null) {
                        b.header("Authorization", "Bearer " + bearer);
                    }
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - start;
                        if (r.statusCode() != 200 || !ok.test(r.body())) {
                            wrong.compareAndSet(null, r.statusCode() + " " + r.body());
                            return;
                        }
                        samples[n++] = took;
                    } catch (Exception e) {
                        wrong.compareAndSet(null, e.toString());
                        return;
                    }
                }
                counts[slot] = n;
            }, "probe-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join();
        }
        if (wrong.get() != null) {
            throw new AssertionError("wrong answer: " + wrong.get().substring(0, Math.min(500, wrong.get().length())));
        }
        long[] all = new long[java.util.Arrays.stream(counts).sum()];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(perThread.get(t), 0, all, at, counts[t]);
            at += counts[t];
        }
        return all;
    }
}
