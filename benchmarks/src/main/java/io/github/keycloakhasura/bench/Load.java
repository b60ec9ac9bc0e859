package io.github.keycloakhasura.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A closed-loop load: {@code concurrency} threads, each sending its next request as soon as the previous one is
 * answered, for a fixed time, over keep-alive HTTP/1.1 connections. Latencies are kept whole (no histogram
 * buckets) and merged at the end.
 */
final class Load {

    /** What one side of a comparison sends and how a good answer looks. */
    interface Scenario {
        /** The request worker {@code worker} sends as its {@code n}th (requests are immutable and reused). */
        HttpRequest request(int worker, long n);

        /** Whether a 200 answer's body is a success (a GraphQL error or an inactive token is an error). */
        boolean ok(String body);

        /**
         * The measured request of a flow of several: the requests before it are sent through {@code exchange}, and
         * their time counts. Null: this worker has nothing left to send (a finite supply, e.g. emailed codes).
         */
        default HttpRequest request(int worker, long n, Exchange exchange) throws IOException, InterruptedException {
            return request(worker, n);
        }

        /**
         * Both sides at once, every worker alternating between them request by request (warm-up only: a server
         * warmed by one side alone compiles code that the other side then deoptimises, as no production mix would).
         */
        static Scenario mixed(Scenario a, Scenario b) {
            return new Scenario() {
                @Override
                public HttpRequest request(int worker, long n) {
                    return (n + worker) % 2 == 0 ? a.request(worker, n) : b.request(worker, n);
                }

                @Override
                public HttpRequest request(int worker, long n, Exchange exchange) throws IOException, InterruptedException {
                    return (n + worker) % 2 == 0 ? a.request(worker, n, exchange) : b.request(worker, n, exchange);
                }

                @Override
                public boolean ok(String body) {
                    return a.ok(body) || b.ok(body);
                }
            };
        }
    }

    /** Sends a request of a flow before its measured one: the body of a 200 answer, else an IOException. */
    interface Exchange {
        String send(HttpRequest request) throws IOException, InterruptedException;
    }

    /** Counts and latencies of one or more measured windows of one side. */
    static final class Result {
        long count;
        long errors;
        long nanos;
        /** Server CPU time spent during the windows (-1: not measured). */
        long cpuNanos;
        long[] latencies = new long[0];
        String firstError;

        double throughput() {
            return nanos == 0 ? 0 : count * 1e9 / nanos;
        }

        /** Keycloak CPU milliseconds per successful request (NaN when not measured). */
        double cpuMillisPerRequest() {
            return cpuNanos < 0 || count == 0 ? Double.NaN : cpuNanos / 1e6 / count;
        }

        double percentileMillis(double p) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latencies.length) - 1;
            return latencies[Math.max(0, Math.min(latencies.length - 1, index))] / 1e6;
        }

        void add(Result other) {
            count += other.count;
            errors += other.errors;
            nanos += other.nanos;
            cpuNanos = cpuNanos < 0 || other.cpuNanos < 0 ? -1 : cpuNanos + other.cpuNanos;
            long[] merged = Arrays.copyOf(latencies, latencies.length + other.latencies.length);
            System.arraycopy(other.latencies, 0, merged, latencies.length, other.latencies.length);
            Arrays.sort(merged);
            latencies = merged;
            if (firstError == null) {
                firstError = other.firstError;
            }
        }
    }

    private final HttpClient client;
    private final int concurrency;
    private final ServerCpu cpu;

    Load(int concurrency, ServerCpu cpu) {
        this.concurrency = concurrency;
        this.cpu = cpu;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    int concurrency() {
        return concurrency;
    }

    /** Runs the scenario for {@code duration} with every worker busy; returns what was measured. */
    Result run(Scenario scenario, Duration duration) {
        long[][] perWorker = new long[concurrency][];
        long[] counts = new long[concurrency];
        long[] errors = new long[concurrency];
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long cpuStart = cpu == null ? -1 : cpu.nanos();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            Thread thread = new Thread(() -> {
                long[] lat = new long[4096];
                int n = 0;
                long bad = 0;
                long sent = 0;
                while (true) {
                    long t0 = System.nanoTime();
                    if (t0 >= deadline) {
                        break;
                    }
                    String problem;
                    try {
                        HttpRequest request = scenario.request(worker, sent++, this::exchange);
                        if (request == null) {
                            break;
                        }
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        problem = response.statusCode() == 200 && scenario.ok(response.body()) ? null
                                : response.statusCode() + " " + abbreviate(response.body());
                    } catch (IOException e) {
                        problem = e.toString();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    long t1 = System.nanoTime();
                    if (problem == null) {
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = t1 - t0;
                    } else {
                        bad++;
                        firstError.compareAndSet(null, problem);
                    }
                }
                perWorker[worker] = Arrays.copyOf(lat, n);
                counts[worker] = n;
                errors[worker] = bad;
            }, "load-" + w);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        long elapsed = System.nanoTime() - start;
        long cpuEnd = cpu == null ? -1 : cpu.nanos();
        Result result = new Result();
        result.nanos = elapsed;
        result.cpuNanos = cpuStart < 0 || cpuEnd < 0 ? -1 : cpuEnd - cpuStart;
        int total = 0;
        for (int w = 0; w < concurrency; w++) {
            result.count += counts[w];
            result.errors += errors[w];
            total += perWorker[w].length;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] lat : perWorker) {
            System.arraycopy(lat, 0, all, at, lat.length);
            at += lat.length;
        }
        Arrays.sort(all);
        result.latencies = all;
        result.firstError = firstError.get();
        return result;
    }

    /** The request {@code scenario} measures first, its flow's earlier requests sent (for checks). */
    HttpRequest first(Scenario scenario) {
        try {
            return scenario.request(0, 0, this::exchange);
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String exchange(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(request.uri() + " answered " + response.statusCode() + " " + abbreviate(response.body()));
        }
        return response.body();
    }

    /** One request, synchronously, for checks and set-up: status and body. */
    HttpResponse<String> once(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
