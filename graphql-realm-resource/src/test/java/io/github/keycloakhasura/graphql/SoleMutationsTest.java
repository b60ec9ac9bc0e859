package io.github.keycloakhasura.graphql;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutations with one root field, run without graphql-java's executor ({@link SoleMutations}), answer exactly what
 * graphql-java answers (same JSON bytes, errors included), call Keycloak exactly once either way, and the shortcut is
 * really taken where it applies and stepped around where it does not.
 */
class SoleMutationsTest {

    private static final String REFRESH = "mutation ($t: String!) { refreshToken(refreshToken: $t) { token refreshToken payload refreshExpiresIn } }";

    private final GraphqlConfig config = GraphqlConfig.from(Map.of("max-query-complexity", "40")::get);
    private final GraphqlEngine direct = new GraphqlEngine(config, true);
    private final GraphqlEngine generic = new GraphqlEngine(config, false);

    /**
     * Runs the request on graphql-java, then twice through the engine with the shortcut (the first run puts the
     * document into the cache), asserts the same answers and one backend call per run; returns how many of the
     * runs took the shortcut.
     */
    private long sameAnswer(Canned backend, String query, String operationName, Map<String, Object> variables) {
        long before = direct.soleMutations();
        String expected = answer(generic, backend, query, operationName, variables);
        for (int run = 0; run < 2; run++) {
            assertEquals(expected, answer(direct, backend, query, operationName, variables), query + " " + variables + " run " + run);
        }
        assertEquals(0, generic.soleMutations(), "the reference engine never takes the shortcut");
        return direct.soleMutations() - before;
    }

    private long sameAnswer(Canned backend, String query, Map<String, Object> variables) {
        return sameAnswer(backend, query, null, variables);
    }

    private String answer(GraphqlEngine engine, Canned backend, String query, String operationName, Map<String, Object> variables) {
        int calls = backend.calls;
        backend.sole = null;
        GraphqlEngine.Outcome outcome = engine.execute(new GraphqlHttp.Request(query, operationName, variables),
                new RequestContext(backend, config, List.of()), true);
        int made = backend.calls - calls; // compared with graphql-java's: never a second call
        String json = new String(GraphqlHttp.write(outcome.body()), StandardCharsets.UTF_8);
        return json + (outcome.requestError() ? " (request error)" : "") + " calls=" + made + " sole=" + backend.sole;
    }

    private static Map<String, Object> vars(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void everyMutationAloneTakesTheShortcutWithIdenticalAnswers() {
        Canned backend = new Canned();
        assertEquals(1, sameAnswer(backend, REFRESH, vars("t", "r-1")));
        assertEquals("r-1", backend.arguments.get(0));
        assertEquals(1, sameAnswer(backend, "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
                + "{ token refreshToken payload refreshExpiresIn expiresIn idToken } }", vars("u", "alice", "p", "pw \"ü\"")));
        assertEquals(List.of("alice", "pw \"ü\"", "null", "null"), backend.arguments);
        assertEquals(1, sameAnswer(backend, "mutation { tokenAuth(username: \"bob\", password: \"\"\"x\ny\"\"\", clientId: null, "
                + "scope: \"openid\") { token } }", null));
        assertEquals(List.of("bob", "x\ny", "null", "openid"), backend.arguments);
        assertEquals(1, sameAnswer(backend, "mutation ($t: String!) { verifyToken(token: $t) { payload } }", vars("t", "a-1")));
        assertEquals(1, sameAnswer(backend, "mutation R($t: String!) { revokeToken(refreshToken: $t) { revoked __typename } }", vars("t", "r-2")));
        assertEquals(1, sameAnswer(backend, "mutation ($u: String!, $p: String!, $e: String!, $f: String) { createUser(username: $u, "
                + "password: $p, email: $e, firstName: $f) { user { id username email firstName lastName emailVerified isActive "
                + "dateJoined roles profile { role } } profile { role } token refreshToken payload refreshExpiresIn } }",
                vars("u", "carol", "p", "pw", "e", "c@example.test")));
        assertEquals(List.of("carol", "pw", "c@example.test", "null", "null"), backend.arguments, "a nullable variable not given");
        assertEquals(1, sameAnswer(backend, "mutation ($u: String!, $p: String!, $e: String!, $f: String) { createUser(username: $u, "
                + "password: $p, email: $e, firstName: $f) { user { id } } }", vars("u", "dan", "p", "pw", "e", "d@x.test", "f", null)));
    }

    @Test
    void aliasesFragmentsLiteralConditionsAndNamedOperationsTakeTheShortcut() {
        Canned backend = new Canned();
        assertEquals(1, sameAnswer(backend, "mutation ($t: String!) { r: refreshToken(refreshToken: $t) { t: token token "
                + "... on Refresh { expiresIn } ...F __typename } } fragment F on Refresh { payload idToken }", vars("t", "r-1")));
        assertEquals(1, sameAnswer(backend, "mutation ($t: String!) { refreshToken(refreshToken: $t) { token @skip(if: true) "
                + "refreshToken @include(if: false) payload @include(if: true) ... @skip(if: true) { idToken } } }", vars("t", "r-1")));
        String two = "query Q { whoami { id } } mutation A($t: String!) { verifyToken(token: $t) { payload } } "
                + "mutation B($t: String!) { revokeToken(refreshToken: $t) { revoked } }";
        assertEquals(1, sameAnswer(backend, two, "A", vars("t", "a")));
        assertEquals(1, sameAnswer(backend, two, "B", vars("t", "b")));
        assertEquals("b", backend.arguments.get(0));
    }

    @Test
    void everythingElseGoesThroughGraphqlJavaWithIdenticalAnswers() {
        Canned backend = new Canned();
        // several root fields, root directives, __typename at the root
        assertEquals(0, sameAnswer(backend, "mutation { a: verifyToken(token: \"x\") { payload } b: verifyToken(token: \"y\") { payload } }", null));
        assertEquals(0, sameAnswer(backend, "mutation ($s: Boolean!) { verifyToken(token: \"x\") @skip(if: $s) { payload } }", vars("s", false)));
        assertEquals(0, sameAnswer(backend, "mutation ($s: Boolean!) { verifyToken(token: \"x\") @skip(if: $s) { payload } }", vars("s", true)));
        assertEquals(0, sameAnswer(backend, "mutation { __typename }", null));
        assertEquals(0, sameAnswer(backend, "mutation { ... on Mutation { verifyToken(token: \"x\") { payload } } }", null));
        // variables that need graphql-java's coercion, or its errors
        assertEquals(0, sameAnswer(backend, REFRESH, vars("t", 42)));
        assertEquals(0, sameAnswer(backend, REFRESH, vars("t", List.of("a"))));
        assertEquals(0, sameAnswer(backend, REFRESH, vars("t", null)));
        assertEquals(0, sameAnswer(backend, REFRESH, vars()));
        assertEquals(0, sameAnswer(backend, REFRESH, vars("t", "r", "extra", "x")));
        assertEquals(0, sameAnswer(backend, "mutation ($t: String = \"d\") { refreshToken(refreshToken: $t) { token } }", vars()));
        assertEquals(0, sameAnswer(backend, "mutation ($t: String!, $n: Int) { refreshToken(refreshToken: $t) { token } }", vars("t", "r")));
        assertEquals(0, sameAnswer(backend, "mutation ($t: ID!) { refreshToken(refreshToken: $t) { token } }", vars("t", "r")));
        // queries, invalid documents, documents over the limits, no single operation
        assertEquals(0, sameAnswer(backend, "{ whoami { id } }", null));
        assertEquals(0, sameAnswer(backend, "mutation { refreshToken(refreshToken: 1) { token } }", null));
        assertEquals(0, sameAnswer(backend, "mutation { refreshToken(refreshToken: \"r\") { nope } }", null));
        assertEquals(0, sameAnswer(backend, "mutation A { verifyToken(token: \"x\") { payload } } mutation B { verifyToken(token: \"y\") { payload } }", null));
        StringBuilder big = new StringBuilder("mutation { createUser(username: \"u\", password: \"p\", email: \"e\") { ");
        for (int i = 0; i < 45; i++) {
            big.append("t").append(i).append(": token ");
        }
        String overLimit = big.append("} }").toString();
        assertEquals(0, sameAnswer(backend, overLimit, null));
        assertTrue(answer(direct, backend, overLimit, null, null).contains("\"errors\""), "over max-query-complexity");
    }

    @Test
    void failuresAreReportedByGraphqlJavaWithoutCallingKeycloakAgain() {
        Canned refused = new Canned();
        refused.failure = () -> GraphqlException.unauthenticated("Invalid or expired refresh token");
        assertEquals(0, sameAnswer(refused, REFRESH, vars("t", "r-1")));
        String answer = answer(direct, refused, REFRESH, null, vars("t", "r-1"));
        assertTrue(answer.startsWith("{\"errors\":[{\"message\":\"Invalid or expired refresh token\",\"locations\":[{\"line\":1,\"column\":26}],"
                + "\"path\":[\"refreshToken\"],\"extensions\":{\"code\":\"UNAUTHENTICATED\"}}],\"data\":{\"refreshToken\":null}}"), answer);
        assertTrue(answer.endsWith("calls=1 sole=true"), answer);

        // An unexpected failure: INTERNAL with an error id (a new one each time, so compared without it).
        Canned broken = new Canned();
        broken.failure = () -> new IllegalStateException("boom");
        String reference = answer(generic, broken, REFRESH, null, vars("t", "r"));
        answer(direct, broken, REFRESH, null, vars("t", "r"));
        long before = direct.soleMutations();
        String shortcut = answer(direct, broken, REFRESH, null, vars("t", "r"));
        assertEquals(before, direct.soleMutations());
        assertNotEquals(reference, shortcut, "error ids differ");
        assertEquals(withoutIds(reference), withoutIds(shortcut));
        assertTrue(shortcut.contains("\"code\":\"INTERNAL\"") && shortcut.endsWith("calls=1 sole=true"), shortcut);

        // Values the plan cannot complete: a null token (non-null), an expiry too large for Int.
        Canned nullToken = new Canned();
        nullToken.tokens = arguments -> new KeycloakAuth.Tokens(null, "r", new RawJson("{}"), 1L, 300L, null);
        assertEquals(0, sameAnswer(nullToken, REFRESH, vars("t", "r")));
        assertEquals(1, sameAnswer(nullToken, "mutation ($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }", vars("t", "r")),
                "the null token not selected");
        Canned huge = new Canned();
        huge.tokens = arguments -> new KeycloakAuth.Tokens("a", "r", new RawJson("{}"), Long.MAX_VALUE, 300L, null);
        assertEquals(0, sameAnswer(huge, REFRESH, vars("t", "r")));
        assertTrue(answer(direct, huge, REFRESH, null, vars("t", "r")).contains("\"errors\""));
    }

    private static String withoutIds(String answer) {
        return answer.replaceAll("error id [0-9a-f-]{36}", "error id <id>");
    }

    /** A backend with canned tokens that records each call's arguments (and can fail instead). */
    private static final class Canned implements Backend {

        int calls;
        Boolean sole;
        List<String> arguments = List.of();
        java.util.function.Supplier<RuntimeException> failure;
        Function<List<String>, KeycloakAuth.Tokens> tokens = arguments -> new KeycloakAuth.Tokens(
                "access." + arguments.get(0), "refresh-" + arguments.size(),
                new RawJson("{\"sub\":\"u-1\",\"azp\":\"hasura-app\",\"name\":\"Zoë \\\"Z\\\"\"}"), 1_790_000_000L, 300L,
                arguments.size() > 3 ? "id-token" : null);

        private KeycloakAuth.Tokens call(String... given) {
            calls++;
            List<String> list = new ArrayList<>();
            for (String value : given) {
                list.add(String.valueOf(value));
            }
            arguments = list;
            if (failure != null) {
                throw failure.get();
            }
            return tokens.apply(list);
        }

        @Override
        public void soleMutation(boolean sole) {
            this.sole = sole;
        }

        @Override
        public KeycloakAuth.Tokens login(String username, String password, String clientId, String scope) {
            return call(username, password, clientId, scope);
        }

        @Override
        public KeycloakAuth.Tokens refresh(String refreshToken) {
            return call(refreshToken);
        }

        @Override
        public Object verify(String token) {
            return call(token).payload();
        }

        @Override
        public long revoke(String token) {
            call(token);
            return 1_790_000_123L;
        }

        @Override
        public KeycloakAuth.SignUp signUp(String username, String password, String email, String firstName, String lastName) {
            KeycloakAuth.Tokens tokens = call(username, password, email, firstName, lastName);
            return new KeycloakAuth.SignUp(new KeycloakAuth.UserView("u-" + username, username, email, firstName, lastName,
                    false, true, "2026-11-28T10:00:00Z", "user", null), tokens);
        }

        @Override
        public KeycloakAuth.Caller caller(List<String> authorization) {
            throw GraphqlException.unauthenticated("no token");
        }

        @Override
        public KeycloakAuth.UserView whoami(KeycloakAuth.Caller caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void requireUserViewer(KeycloakAuth.Caller caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<KeycloakAuth.UserView> users(String search, int offset, int size) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int countUsers(String search) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<KeycloakAuth.UserView> user(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> roles(String userId) {
            return List.of("user", "manager:" + userId);
        }

        @Override
        public String hasuraRole(String userId) {
            return "user";
        }
    }
}
