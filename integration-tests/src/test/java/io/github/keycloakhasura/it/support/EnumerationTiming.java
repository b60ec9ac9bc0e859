package io.github.keycloakhasura.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * How long the anonymous mutations that must not reveal an account take for an address that has one and for an
 * address that has none: sendPasswordResetEmail, resendActivationEmail and createUser (realm verifying email, the
 * address already registered vs. a new one). Runs in a realm of its own (the project's realm export under another
 * name, SMTP at {@code smtpPort}, "Verify email" on), with users made for it; the two kinds are sampled in rounds, in a
 * shuffled order per round (seeded), so the machine's load hits both alike; the answers of the two kinds must be the
 * same (createUser: the same but for the new user's id, name, address and time). After the warm-up rounds it waits
 * {@value #SETTLE_MS} ms, so the warm-up's emails (sent a second after each answer) do not fall into the samples. Shared by {@code
 * AccountEnumerationTimingIT} and the benchmark ({@code scripts/benchmark.sh}), which report the same figures.
 */
public final class EnumerationTiming implements AutoCloseable {

    public static final String SEND_RESET = "mutation($e: String!) { sendPasswordResetEmail(email: $e) { success } }";
    public static final String RESEND = "mutation($e: String!) { resendActivationEmail(email: $e) { success } }";
    public static final String SIGN_UP = "mutation($u: String!, $p: String!, $e: String!) { createUser(username: $u, "
            + "password: $p, email: $e) { user { id username email firstName lastName emailVerified isActive dateJoined roles "
            + "profile { role } hasura } profile { role } token refreshToken payload refreshExpiresIn } }";
    static final String PASSWORD = "Timing-pass-123";
    static final long SETTLE_MS = 3000;
    /**
     * sendPasswordResetEmail and resendActivationEmail answer in a few ms, where a millisecond of the machine's jitter
     * is tens of percent: they get this many times the warm-up rounds and samples.
     */
    public static final int CHEAP_FACTOR = 3;

    /** One operation's figures: medians (ms) of {@code samples} answers per kind. */
    public record Result(String operation, int samples, double knownMedianMs, double unknownMedianMs) {
        /** The larger median over the smaller one. */
        public double ratio() {
            return Math.max(knownMedianMs, unknownMedianMs) / Math.max(0.001, Math.min(knownMedianMs, unknownMedianMs));
        }

        /** How far apart the medians are, in percent of the smaller one. */
        public double differencePercent() {
            return (ratio() - 1) * 100;
        }

        @Override
        public String toString() {
            return String.format("%s: median %.2f ms (registered address) vs %.2f ms (unknown address), n=%d each, %+.1f %%",
                    operation, knownMedianMs, unknownMedianMs, samples, (knownMedianMs / unknownMedianMs - 1) * 100);
        }
    }

    private final KeycloakServer server;
    private final KeycloakAdmin admin;
    private final String realm;
    private final int samples;
    private final int warmUp;
    private final long seed;

    /** Creates the realm from {@code realmExport} (the project's app-realm.json). */
    public EnumerationTiming(KeycloakServer server, Path realmExport, int smtpPort, int samples, int warmUp, long seed)
            throws IOException {
        this.server = server;
        this.realm = KeycloakAdmin.unique("timing");
        this.admin = new KeycloakAdmin(server, realm);
        this.samples = samples;
        this.warmUp = warmUp;
        this.seed = seed;
        ObjectNode json = (ObjectNode) Http.JSON.readTree(Files.readString(realmExport));
        json.put("realm", realm);
        json.remove("id");
        json.remove("users");
        json.put("verifyEmail", true);
        json.put("registrationAllowed", true);
        json.putPOJO("smtpServer", Mailbox.smtpServer(smtpPort));
        for (JsonNode client : (ArrayNode) json.get("clients")) {
            if (KeycloakServer.CLIENT_ID.equals(client.path("clientId").asText())) {
                ((ObjectNode) client).put("rootUrl", EmailRealm.APP_URL);
            }
        }
        Http.Response r = Http.json("POST", server.baseUrl() + "/admin/realms", json, admin.token());
        if (r.status() != 201) {
            throw new IllegalStateException("realm import failed: " + r);
        }
    }

    public String realm() {
        return realm;
    }

    /** The three operations, measured one after the other. */
    public List<Result> runAll() {
        return List.of(passwordReset(), resendActivation(), signUp());
    }

    /** sendPasswordResetEmail: a verified user's address (each gets its one email) vs. an address of nobody. */
    public Result passwordReset() {
        List<String> known = users("reset", true, CHEAP_FACTOR);
        return measure("sendPasswordResetEmail", CHEAP_FACTOR, i -> graphql(SEND_RESET, Map.of("e", known.get(i))),
                i -> graphql(SEND_RESET, Map.of("e", KeycloakAdmin.unique("nobody") + "@example.test")), false);
    }

    /** resendActivationEmail: the address of a user waiting for verification vs. an address of nobody. */
    public Result resendActivation() {
        List<String> known = users("waiting", false, CHEAP_FACTOR);
        return measure("resendActivationEmail", CHEAP_FACTOR, i -> graphql(RESEND, Map.of("e", known.get(i))),
                i -> graphql(RESEND, Map.of("e", KeycloakAdmin.unique("nobody") + "@example.test")), false);
    }

    /** createUser with "Verify email" on: a registered address (new username) vs. a new address (new username). */
    public Result signUp() {
        List<String> known = users("owner", true, 1);
        return measure("createUser (verify email)", 1,
                i -> graphql(SIGN_UP, Map.of("u", KeycloakAdmin.unique("signup"), "p", PASSWORD, "e", known.get(i))),
                i -> graphql(SIGN_UP, Map.of("u", KeycloakAdmin.unique("signup"), "p", PASSWORD,
                        "e", KeycloakAdmin.unique("fresh") + "@example.test")), true);
    }

    /** Addresses of enough new users (no password), verified or waiting for verification. */
    private List<String> users(String prefix, boolean verified, int factor) {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < (warmUp + samples) * factor; i++) {
            String username = KeycloakAdmin.unique(prefix);
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("username", username);
            user.put("email", username + "@example.test");
            user.put("emailVerified", verified);
            user.put("enabled", true);
            if (!verified) {
                user.put("requiredActions", List.of("VERIFY_EMAIL"));
            }
            Http.Response r = admin.call("POST", "/users", user);
            if (r.status() != 201) {
                throw new IllegalStateException("user creation failed: " + r);
            }
            emails.add(username + "@example.test");
        }
        return emails;
    }

    private Result measure(String operation, int factor, IntFunction<Http.Response> known,
                           IntFunction<Http.Response> unknown, boolean signUp) {
        int warmUp = this.warmUp * factor;
        int samples = this.samples * factor;
        Random random = new Random(seed);
        List<Double> knownTimes = new ArrayList<>();
        List<Double> unknownTimes = new ArrayList<>();
        String reference = null;
        List<Boolean> order = new ArrayList<>(List.of(true, false));
        for (int round = 0; round < warmUp + samples; round++) {
            if (round == warmUp) {
                // The warm-up's email jobs start a second after their answers: let them run (and their code get
                // compiled) before anything counts.
                Harness.sleep(SETTLE_MS);
            }
            Collections.shuffle(order, random);
            for (boolean isKnown : order) {
                long start = System.nanoTime();
                Http.Response r = (isKnown ? known : unknown).apply(round);
                double millis = (System.nanoTime() - start) / 1e6;
                String answer = r.status() + " " + (signUp ? normalizedSignUp(r) : r.body());
                if (reference == null) {
                    reference = answer;
                } else if (!reference.equals(answer)) {
                    throw new AssertionError(operation + ": the answers differ (" + (isKnown ? "registered" : "unknown")
                            + " address, round " + round + "):\n" + reference + "\n" + answer);
                }
                if (round >= warmUp) {
                    (isKnown ? knownTimes : unknownTimes).add(millis);
                }
            }
        }
        return new Result(operation, samples, median(knownTimes), median(unknownTimes));
    }

    /** createUser's answer without what differs from one new user to the next: its id, name, address, time. */
    private static String normalizedSignUp(Http.Response r) {
        JsonNode json = r.json();
        JsonNode user = json.path("data").path("createUser").path("user");
        if (user instanceof ObjectNode object) {
            for (String field : List.of("id", "username", "email", "dateJoined")) {
                if (object.hasNonNull(field)) {
                    object.put(field, "<" + field + ">");
                }
            }
        }
        return json.toString();
    }

    private Http.Response graphql(String query, Map<String, Object> variables) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return Http.json("POST", server.baseUrl() + "/realms/" + realm + "/graphql", body, null);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @Override
    public void close() {
        admin.deleteRealm();
    }
}
