package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.github.keycloakhasura.it.graphql.Hostile.code;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No user enumeration through tokenAuth (one answer, and no useful timing difference, for unknown, wrong-password,
 * locked and disabled accounts) or through createUser (it reveals an existing username or email only where the
 * realm's own registration page would).
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlEnumerationIT {

    static final String PASSWORD = "Enumerate-pass-1";
    static final String LOGIN = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }";
    static final String SIGN_UP = GraphqlSignUpIT.CREATE;

    /**
     * A kind of failed login differs measurably when its median is more than this many ms from a wrong password's
     * and also outside half to twice its value. Without Keycloak's dummy hash an unknown user would answer in a
     * fraction of the time of a password check; a busy machine slows every kind alike, which the ratio allows for.
     */
    static final long MAX_MEDIAN_GAP_MS = 150;
    static final double MAX_MEDIAN_RATIO = 2.0;
    static final int SAMPLES = 20;
    static final int WARM_UP = 3;

    enum Kind { UNKNOWN, WRONG_PASSWORD, LOCKED, DISABLED }

    static KeycloakAdmin admin;
    static GraphqlClient graphql;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        graphql = new GraphqlClient(keycloak);
    }

    static String newUser(String prefix) {
        return admin.newUser(prefix, PASSWORD);
    }

    /**
     * Keycloak hashes a dummy password for unknown and locked users (AuthenticatorUtils.dummyHash) and checks the real
     * hash for wrong passwords and disabled users; this proves that holds through GraphQL, with the same answer body.
     * Each wrong-password sample uses a fresh user (a second failure within a second would lock it); samples are
     * taken in rounds, in a shuffled order per round, so load from other processes spreads over all kinds alike, and
     * compared by median with a generous bound: the machine is small and shared, and a missing dummy hash would show
     * as the full cost of a password hash on every sample.
     */
    @Test
    void unknownWrongPasswordLockedAndDisabledLookAlikeInAnswerAndTime() {
        int total = SAMPLES + WARM_UP;
        List<String> wrongPasswordUsers = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            wrongPasswordUsers.add(newUser("enum-wrong"));
        }
        String disabled = newUser("enum-disabled");
        admin.updateUser(Hostile.userId(admin, disabled), Map.of("enabled", false));
        String locked = newUser("enum-locked");
        String lockedId = Hostile.userId(admin, locked);
        // Failures in quick succession lock the account (Keycloak's quick-login check: 60 s, more than this test takes).
        for (int i = 0; i < 10 && !Hostile.bruteForce(admin, lockedId).get("disabled").asBoolean(); i++) {
            graphql.post(LOGIN, Map.of("u", locked, "p", "wrong-" + i), null);
            Hostile.sleep(200);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Hostile.bruteForce(admin, lockedId).get("disabled").asBoolean() && System.nanoTime() < deadline) {
            Hostile.sleep(100);
        }
        assertTrue(Hostile.bruteForce(admin, lockedId).get("disabled").asBoolean(), "the account is locked");

        Random random = new Random(42);
        Map<Kind, List<Long>> times = new EnumMap<>(Kind.class);
        Map<Kind, String> bodies = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            times.put(kind, new ArrayList<>());
        }
        List<Kind> order = new ArrayList<>(List.of(Kind.values()));
        for (int round = 0; round < total; round++) {
            Collections.shuffle(order, random);
            for (Kind kind : order) {
                String username = switch (kind) {
                    case UNKNOWN -> unique("enum-nobody");
                    case WRONG_PASSWORD -> wrongPasswordUsers.get(round);
                    case LOCKED -> locked;
                    case DISABLED -> disabled;
                };
                // (GraphqlAuthIT shows a locked user gets the same answer even with the right password.)
                String password = "Wrong-pass-" + round;
                long start = System.nanoTime();
                Http.Response r = graphql.post(LOGIN, Map.of("u", username, "p", password), null);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals("UNAUTHENTICATED", code(r, kind.name()));
                String body = r.json().get("errors").toString();
                String previous = bodies.putIfAbsent(kind, body);
                assertEquals(previous == null ? body : previous, body);
                if (round >= WARM_UP) {
                    times.get(kind).add(millis);
                }
            }
        }
        assertEquals(1, bodies.values().stream().distinct().count(), "one identical error for every kind: " + bodies);

        Map<Kind, Long> medians = new EnumMap<>(Kind.class);
        times.forEach((kind, list) -> medians.put(kind, median(list)));
        System.out.printf("%n[GraphqlEnumerationIT] tokenAuth failure times, median of %d (ms): %s (locked user still locked: %s)%n",
                SAMPLES, medians, Hostile.bruteForce(admin, lockedId).get("disabled").asBoolean());
        long reference = medians.get(Kind.WRONG_PASSWORD);
        for (Kind kind : Kind.values()) {
            long median = medians.get(kind);
            long gap = Math.abs(median - reference);
            double ratio = Math.max(median, reference) / (double) Math.max(1, Math.min(median, reference));
            assertTrue(gap < MAX_MEDIAN_GAP_MS || ratio < MAX_MEDIAN_RATIO, kind + " differs from a wrong password by " + gap
                    + " ms, ratio " + ratio + " (medians " + medians + ", samples " + times + ")");
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void signUpRevealsAnExistingEmailOnlyWhereTheRealmsRegistrationWould() {
        String existing = newUser("enum-existing");
        String existingEmail = existing + "@example.test";

        // Registration closed: one answer whether or not the username or email exists.
        JsonNode realm = admin.realm();
        admin.call("PUT", "", Map.of("registrationAllowed", false));
        try {
            Http.Response known = graphql.post(SIGN_UP, Map.of("u", existing, "p", "Sign-up-pass-1", "e", existingEmail), null);
            Http.Response fresh = graphql.post(SIGN_UP, Map.of("u", unique("enum-new"), "p", "Sign-up-pass-1",
                    "e", unique("enum-new") + "@example.test"), null);
            assertEquals("FORBIDDEN", code(known, "closed registration, existing user"));
            assertEquals(fresh.json().get("errors"), known.json().get("errors"));
        } finally {
            admin.call("PUT", "", Map.of("registrationAllowed", realm.get("registrationAllowed").asBoolean()));
        }

        // Duplicate emails forbidden (this realm): the answer names the email, exactly as Keycloak's registration
        // form does ("Email already exists."), and nothing else about the existing account.
        String other = unique("enum-other");
        Http.Response taken = graphql.post(SIGN_UP, Map.of("u", other, "p", "Sign-up-pass-1", "e", existingEmail), null);
        assertEquals("BAD_USER_INPUT", code(taken, "existing email"));
        String message = taken.json().get("errors").get(0).get("message").asText();
        assertTrue(message.contains("Email already exists"), message);
        assertTrue(!taken.body().contains(existing + "\"") && !taken.body().contains(Hostile.userId(admin, existing)),
                "nothing about the existing account: " + taken.body());

        // Duplicate emails allowed (login with email then off, as Keycloak requires): the sign-up simply works, so
        // nothing is revealed.
        admin.call("PUT", "", Map.of("duplicateEmailsAllowed", true, "loginWithEmailAllowed", false));
        try {
            String third = unique("enum-third");
            GraphqlClient.data(graphql.post(SIGN_UP, Map.of("u", third, "p", "Sign-up-pass-1", "e", existingEmail), null));
        } finally {
            admin.call("PUT", "", Map.of("duplicateEmailsAllowed", realm.get("duplicateEmailsAllowed").asBoolean(),
                    "loginWithEmailAllowed", realm.get("loginWithEmailAllowed").asBoolean()));
        }
    }
}
