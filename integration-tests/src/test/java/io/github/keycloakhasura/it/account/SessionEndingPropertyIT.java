package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Mailbox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The property: after passwordReset, passwordChange (without keepOtherSessions) or logout(allSessions), no token issued
 * before it works anywhere. No earlier refresh token refreshes (the API's refreshToken, Keycloak's own token endpoint)
 * and no earlier access token passes the Hasura webhook, verifyToken or whoami.
 *
 * <p>Generated: per round a new user with a random number of sessions of random kinds (tokenAuth logins, logins
 * whose refresh token was rotated once or twice, logins at Keycloak's own token endpoint, and offline sessions from
 * the one client that may still ask for {@code offline_access}; this test server runs with allow-offline-tokens off,
 * so the API issues no offline tokens itself), then a random ending operation from a random online session. The seed
 * is printed; {@code -Dsession-ending.seed=<seed>} replays a run, {@code -Dsession-ending.rounds=<n>} sets its length.
 */
@ExtendWith(KeycloakExtension.class)
class SessionEndingPropertyIT {

    static final String SEED_PROPERTY = "session-ending.seed";
    static final String ROUNDS_PROPERTY = "session-ending.rounds";
    static final String PASSWORD = "Ending-pass-1";
    static final String SEND_RESET = "mutation($e: String!) { sendPasswordResetEmail(email: $e) { success } }";
    static final String RESET = "mutation($t: String!, $p: String!) { passwordReset(token: $t, newPassword: $p) { success } }";
    static final String CHANGE = "mutation($o: String!, $n: String!, $k: Boolean) { passwordChange(oldPassword: $o, "
            + "newPassword: $n, keepOtherSessions: $k) { token refreshToken } }";
    static final String LOGOUT_ALL = "mutation { logout(allSessions: true) { success } }";
    static final List<String> EVERY_ACCESS_ENDPOINT = List.of("webhook", "verifyToken", "whoami");

    enum Kind { TOKEN_AUTH, ROTATED, NATIVE, OFFLINE }

    enum Ending { PASSWORD_RESET, PASSWORD_CHANGE, LOGOUT_ALL_SESSIONS }

    /** One access/refresh token pair issued before the ending operation. */
    record Earlier(String what, String access, String refresh, boolean offline) {
    }

    @RegisterExtension
    static final EmailRealm realm = new EmailRealm();
    static RealmEndpoints endpoints;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        RealmEndpoints.createOfflineCapableClient(realm);
        endpoints = new RealmEndpoints(keycloak, realm.name());
    }

    @Test
    void noEarlierTokenSurvivesAPasswordResetAPasswordChangeOrALogoutOfAllSessions() {
        long seed = Long.getLong(SEED_PROPERTY, new SecureRandom().nextLong());
        int rounds = Integer.getInteger(ROUNDS_PROPERTY, 6);
        System.out.println("SessionEndingPropertyIT: seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        Random random = new Random(seed);
        // Every ending at least once, in a random order, then random ones.
        List<Ending> endings = new ArrayList<>(Arrays.asList(Ending.values()));
        Collections.shuffle(endings, random);
        while (endings.size() < rounds) {
            endings.add(Ending.values()[random.nextInt(Ending.values().length)]);
        }
        for (int round = 0; round < rounds; round++) {
            round(random, endings.get(round), "seed " + seed + ", round " + round);
        }
    }

    private void round(Random random, Ending ending, String context) {
        String username = unique("ending");
        realm.createUser(username, PASSWORD, true);
        List<Kind> kinds = new ArrayList<>();
        int count = 1 + random.nextInt(4);
        for (int i = 0; i < count; i++) {
            kinds.add(Kind.values()[random.nextInt(Kind.values().length)]);
        }
        if (ending != Ending.PASSWORD_RESET && !kinds.contains(Kind.TOKEN_AUTH) && !kinds.contains(Kind.ROTATED)
                && !kinds.contains(Kind.NATIVE)) {
            kinds.set(0, Kind.TOKEN_AUTH); // the ending operation needs an online session to call it from
        }
        String what = context + ", " + ending + " after " + kinds;
        System.out.println("SessionEndingPropertyIT: " + what);
        List<Earlier> earlier = new ArrayList<>();
        for (Kind kind : kinds) {
            earlier.addAll(open(random, kind, username));
        }

        // Before: every online access token passes everywhere (so a refusal afterwards is the ending's doing), and
        // no offline one passes anywhere (allow-offline-tokens is off).
        for (Earlier e : earlier) {
            assertEquals(e.offline() ? List.of() : EVERY_ACCESS_ENDPOINT, endpoints.accessAcceptedBy(e.access()),
                    what + ": before the ending, " + e.what());
        }

        String newPassword = "Ended-pass-" + random.nextInt(1_000_000);
        JsonNode fresh = end(random, ending, username, newPassword, earlier, what);

        List<String> survivors = new ArrayList<>();
        for (Earlier e : earlier) {
            List<String> access = endpoints.accessAcceptedBy(e.access());
            if (!access.isEmpty()) {
                survivors.add(e.what() + " access token accepted by " + access);
            }
            List<String> refresh = endpoints.refreshAcceptedBy(e.refresh());
            if (!refresh.isEmpty()) {
                survivors.add(e.what() + " refresh token accepted by " + refresh);
            }
        }
        assertTrue(survivors.isEmpty(), what + ": earlier tokens survived: " + survivors);

        if (fresh != null) {
            // passwordChange's own tokens are of the caller's new session: they work.
            assertEquals(EVERY_ACCESS_ENDPOINT, endpoints.accessAcceptedBy(fresh.get("token").asText()), what + ": fresh tokens");
            assertEquals(List.of("refreshToken", "token endpoint"), endpoints.refreshAcceptedBy(fresh.get("refreshToken").asText()),
                    what + ": fresh refresh token");
        }
        if (ending != Ending.LOGOUT_ALL_SESSIONS) {
            assertEquals(200, endpoints.nativeLogin("hasura-app", username, newPassword, null).status(), what + ": new password");
        }
    }

    /** The token pairs one session of {@code kind} leaves behind. */
    private List<Earlier> open(Random random, Kind kind, String username) {
        List<Earlier> pairs = new ArrayList<>();
        switch (kind) {
            case TOKEN_AUTH -> {
                JsonNode login = endpoints.tokenAuth(username, PASSWORD);
                pairs.add(new Earlier("tokenAuth login", login.get("token").asText(), login.get("refreshToken").asText(), false));
            }
            case ROTATED -> {
                JsonNode login = endpoints.tokenAuth(username, PASSWORD);
                pairs.add(new Earlier("rotated login", login.get("token").asText(), login.get("refreshToken").asText(), false));
                int refreshes = 1 + random.nextInt(2);
                for (int i = 1; i <= refreshes; i++) {
                    JsonNode refreshed = RealmEndpoints.data(endpoints.graphql(RealmEndpoints.REFRESH,
                            Map.of("r", pairs.get(pairs.size() - 1).refresh()), null)).get("refreshToken");
                    pairs.add(new Earlier("rotated login, refresh " + i, refreshed.get("token").asText(),
                            refreshed.get("refreshToken").asText(), false));
                }
            }
            case NATIVE -> {
                String client = random.nextBoolean() ? "hasura-app" : RealmEndpoints.OFFLINE_CAPABLE_CLIENT;
                JsonNode login = ok(endpoints.nativeLogin(client, username, PASSWORD, null));
                pairs.add(new Earlier("token-endpoint login at " + client, login.get("access_token").asText(),
                        login.get("refresh_token").asText(), false));
            }
            case OFFLINE -> {
                JsonNode login = ok(endpoints.nativeLogin(RealmEndpoints.OFFLINE_CAPABLE_CLIENT, username, PASSWORD,
                        "openid offline_access"));
                assertEquals("Offline", Jwt.payload(login.get("refresh_token").asText()).get("typ").asText());
                pairs.add(new Earlier("offline login", login.get("access_token").asText(), login.get("refresh_token").asText(), true));
                // Keycloak refreshes it (proof that the offline session is live before the ending).
                JsonNode refreshed = ok(endpoints.nativeRefresh(login.get("refresh_token").asText()));
                pairs.add(new Earlier("offline login, refreshed", refreshed.get("access_token").asText(),
                        refreshed.get("refresh_token").asText(), true));
            }
        }
        return pairs;
    }

    /** Runs the ending operation; passwordChange's fresh tokens, else null. */
    private JsonNode end(Random random, Ending ending, String username, String newPassword, List<Earlier> earlier, String what) {
        List<Earlier> online = earlier.stream().filter(e -> !e.offline()).toList();
        switch (ending) {
            case PASSWORD_RESET -> {
                String email = username + "@example.test";
                RealmEndpoints.data(endpoints.graphql(SEND_RESET, Map.of("e", email), null));
                String token = Mailbox.token(realm.mailbox().await(email, 1).get(0), EmailRealm.APP_URL, "reset-password");
                assertTrue(RealmEndpoints.data(endpoints.graphql(RESET, Map.of("t", token, "p", newPassword), null))
                        .get("passwordReset").get("success").asBoolean(), what);
                return null;
            }
            case PASSWORD_CHANGE -> {
                Earlier caller = online.get(random.nextInt(online.size()));
                Map<String, Object> variables = new HashMap<>(Map.of("o", PASSWORD, "n", newPassword));
                if (random.nextBoolean()) {
                    variables.put("k", false);
                }
                return RealmEndpoints.data(endpoints.graphql(CHANGE, variables, caller.access())).get("passwordChange");
            }
            case LOGOUT_ALL_SESSIONS -> {
                Earlier caller = online.get(random.nextInt(online.size()));
                assertTrue(RealmEndpoints.data(endpoints.graphql(LOGOUT_ALL, null, caller.access()))
                        .get("logout").get("success").asBoolean(), what);
                return null;
            }
            default -> throw new IllegalStateException(ending.toString());
        }
    }

    private static JsonNode ok(Http.Response r) {
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }
}
