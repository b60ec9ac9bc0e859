package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.Hostile.awaitFailures;
import static io.github.keycloakhasura.it.graphql.Hostile.bruteForce;
import static io.github.keycloakhasura.it.graphql.Hostile.code;
import static io.github.keycloakhasura.it.graphql.Hostile.userId;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Password guessing through GraphQL counts exactly as at Keycloak's token endpoint, and one HTTP request can never
 * carry more than one guess: aliases, repeated fields, fragments and JSON-array batches are refused before anything
 * runs. The proof is Keycloak's own bookkeeping, read through the admin attack-detection API.
 * <p>
 * The realm (brute force on, failureFactor 5, quick-login check 1 s) locks a user for a minute when two failures
 * are recorded less than a second apart, after which attempts are refused without being counted. Attempts here are
 * therefore spaced: each waits until Keycloak has recorded the previous failure, plus 1.2 s.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlBruteForceIT {

    static final String PASSWORD = "Brute-force-pass-1";
    static final String LOGIN = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }";

    static KeycloakAdmin admin;
    static Tokens tokens;
    static GraphqlClient graphql;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
        graphql = new GraphqlClient(keycloak);
    }

    static String newUser(String prefix) {
        return admin.newUser(prefix, PASSWORD);
    }

    @Test
    void everyGraphqlGuessCountsOnceExactlyAsAtTheTokenEndpoint() {
        String viaGraphql = newUser("bf-gql");
        String viaEndpoint = newUser("bf-native");
        String graphqlId = userId(admin, viaGraphql);
        String endpointId = userId(admin, viaEndpoint);
        int attempts = 3; // below failureFactor (5): no lockout, every attempt is checked and counted
        for (int i = 1; i <= attempts; i++) {
            Http.Response r = graphql.post(LOGIN, Map.of("u", viaGraphql, "p", "wrong-" + i), null);
            assertEquals("UNAUTHENTICATED", code(r, "wrong password"));
            Tokens.assertInvalidGrant(tokens.passwordGrant("hasura-app", viaEndpoint, "wrong-" + i, null), "token endpoint");
            assertEquals(i, awaitFailures(admin, graphqlId, i), "GraphQL attempt " + i);
            assertEquals(i, awaitFailures(admin, endpointId, i), "token endpoint attempt " + i);
            Hostile.sleep(1200);
        }
        JsonNode graphqlRecord = bruteForce(admin, graphqlId);
        JsonNode endpointRecord = bruteForce(admin, endpointId);
        assertEquals(attempts, graphqlRecord.get("numFailures").asInt(), graphqlRecord.toString());
        assertEquals(endpointRecord.get("numFailures"), graphqlRecord.get("numFailures"), "same count as the token endpoint");
        assertEquals(endpointRecord.get("disabled"), graphqlRecord.get("disabled"));
        assertFalse(graphqlRecord.get("disabled").asBoolean(), graphqlRecord.toString());
        assertTrue(graphqlRecord.get("lastFailure").asLong() > 0, graphqlRecord.toString());

        // A successful login resets the count, as it does at the token endpoint.
        GraphqlClient.data(graphql.post(LOGIN, Map.of("u", viaGraphql, "p", PASSWORD), null));
        tokens.login("hasura-app", viaEndpoint, PASSWORD, null);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && (bruteForce(admin, graphqlId).get("numFailures").asInt() != 0
                || bruteForce(admin, endpointId).get("numFailures").asInt() != 0)) {
            Hostile.sleep(100);
        }
        assertEquals(0, bruteForce(admin, graphqlId).get("numFailures").asInt());
        assertEquals(0, bruteForce(admin, endpointId).get("numFailures").asInt());
    }

    @Test
    void documentsAndBatchesWithSeveralLoginsAreRefusedBeforeAnyGuessIsChecked() {
        String victim = newUser("bf-multi");
        String victimId = userId(admin, victim);
        String u = "\"" + victim + "\"";
        String guess = "tokenAuth(username: " + u + ", password: \"guess-%d\") { token }";
        StringBuilder hundred = new StringBuilder("mutation {");
        for (int i = 0; i < 100; i++) {
            hundred.append(" a").append(i).append(": ").append(guess.formatted(i));
        }
        hundred.append(" }");
        List<String> documents = List.of(
                "mutation { a: " + guess.formatted(1) + " b: " + guess.formatted(2) + " }",
                hundred.toString(),
                "mutation { a: " + guess.formatted(1) + " ... on Mutation { b: " + guess.formatted(2) + " } }",
                "mutation { ...A ...B } fragment A on Mutation { a: " + guess.formatted(1) + " } fragment B on Mutation { b: "
                        + guess.formatted(2) + " }",
                "mutation { ... on Mutation { ... on Mutation { a: " + guess.formatted(1) + " } } ...B } fragment B on Mutation { "
                        + "b: " + guess.formatted(2) + " }",
                "mutation($s: Boolean = false) { a: " + guess.formatted(1) + " b: tokenAuth(username: " + u
                        + ", password: \"guess-2\") @skip(if: $s) { token } }",
                "mutation { " + guess.formatted(1) + " createUser(username: " + u + ", password: \"guess-2\", email: \""
                        + victim + "@example.test\") { token } }");
        for (String document : documents) {
            Http.Response r = graphql.post(document);
            assertEquals("BAD_USER_INPUT", code(r, document));
            JsonNode json = r.json();
            assertTrue(json.path("data").isMissingNode() || json.get("data").isNull(), "nothing ran: " + r.body());
            assertTrue(json.get("errors").get(0).get("message").asText().contains("At most one tokenAuth"), r.body());
            // graphql-response+json: a request error, so 400
            Http.Response strict = Hostile.postJson(graphql.url(), json(document), "Accept", "application/graphql-response+json");
            assertEquals(400, strict.status(), strict.toString());
        }
        // JSON-array batching: refused at the HTTP level.
        String batch = "[" + json("mutation { " + guess.formatted(1) + " }") + "," + json("mutation { " + guess.formatted(2) + " }") + "]";
        Http.Response batched = Hostile.postJson(graphql.url(), batch);
        assertEquals(400, batched.status(), batched.toString());
        assertEquals("BAD_USER_INPUT", code(batched, "batch"));
        assertTrue(batched.body().contains("Batched"), batched.body());

        // Nothing was checked: no failure recorded. Then one plain wrong guess is recorded as exactly one.
        Hostile.sleep(1500);
        assertEquals(0, bruteForce(admin, victimId).get("numFailures").asInt(), "refused documents were never run");
        code(graphql.post(LOGIN, Map.of("u", victim, "p", "one-guess"), null), "single guess");
        assertEquals(1, awaitFailures(admin, victimId, 1));
        Hostile.sleep(1500);
        assertEquals(1, bruteForce(admin, victimId).get("numFailures").asInt(), bruteForce(admin, victimId).toString());
        assertFalse(bruteForce(admin, victimId).get("disabled").asBoolean(), "never locked: only one guess ever ran");
        // and the account still works
        GraphqlClient.data(graphql.post(LOGIN, Map.of("u", victim, "p", PASSWORD), null));
    }

    @Test
    void severalSignUpsInOneRequestAreRefusedAndCreateNothing() {
        List<String> names = new ArrayList<>();
        StringBuilder document = new StringBuilder("mutation {");
        for (int i = 0; i < 3; i++) {
            String name = unique("bf-signup");
            names.add(name);
            document.append(" s").append(i).append(": createUser(username: \"").append(name)
                    .append("\", password: \"Sign-up-pass-1\", email: \"").append(name).append("@example.test\") { token }");
        }
        document.append(" }");
        Http.Response r = graphql.post(document.toString());
        assertEquals("BAD_USER_INPUT", code(r, "three sign-ups"));
        for (String name : names) {
            assertEquals(0, admin.call("GET", "/users?exact=true&username=" + name, null).json().size(), name + " was not created");
        }
        // One sign-up per request still works, and may sit beside non-credential fields.
        String one = names.get(0);
        Http.Response mixed = graphql.post("mutation { createUser(username: \"" + one + "\", password: \"Sign-up-pass-1\", "
                + "email: \"" + one + "@example.test\") { token } verifyToken(token: \"x.y.z\") { payload } }");
        assertEquals("UNAUTHENTICATED", code(mixed, "sign-up beside verifyToken"), "only verifyToken fails");
        assertTrue(mixed.json().get("data").get("createUser").get("token").isTextual(), mixed.body());
        assertEquals(1, admin.call("GET", "/users?exact=true&username=" + one, null).json().size());
    }

    static String json(String query) {
        try {
            return Http.JSON.writeValueAsString(Map.of("query", query));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
