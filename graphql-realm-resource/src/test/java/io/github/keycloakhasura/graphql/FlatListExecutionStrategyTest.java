package io.github.keycloakhasura.graphql;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shortcut for lists of plain objects answers exactly what graphql-java's generic executor answers (same JSON
 * bytes, errors included), and it is really taken where it applies and stepped around where it does not.
 */
class FlatListExecutionStrategyTest {

    private final GraphqlConfig config = GraphqlConfig.from(Map.of("max-page-size", "10")::get);
    private final GraphqlEngine flat = new GraphqlEngine(config, true);
    private final GraphqlEngine generic = new GraphqlEngine(config, false);

    /** Runs the document on both engines, asserts the same answer, returns how many lists the shortcut completed. */
    private long sameAnswer(Backend backend, String query, Map<String, Object> variables) {
        long before = flat.flattenedLists();
        String expected = answer(generic, backend, query, variables);
        String actual = answer(flat, backend, query, variables);
        assertEquals(expected, actual, query + " " + variables);
        assertEquals(0, generic.flattenedLists(), "the reference engine never takes the shortcut");
        return flat.flattenedLists() - before;
    }

    private String answer(GraphqlEngine engine, Backend backend, String query, Map<String, Object> variables) {
        GraphqlEngine.Outcome outcome = engine.execute(new GraphqlHttp.Request(query, null, variables),
                new RequestContext(backend, config, List.of("Bearer x")), true);
        return new String(GraphqlHttp.write(outcome.body()), StandardCharsets.UTF_8);
    }

    @Test
    void plainPagesOfUsersTakeTheShortcutWithIdenticalAnswers() {
        Backend backend = new Users(users(7));
        assertEquals(1, sameAnswer(backend, "{ users(first: 5) { id username email firstName lastName emailVerified isActive dateJoined } }", null));
        assertEquals(1, sameAnswer(backend, "{ users { a: id id username b: username __typename } }", null));
        assertEquals(1, sameAnswer(backend, "{ users { __typename } }", null));
        assertEquals(1, sameAnswer(backend, "query { users { ...U ... on User { email } username } } fragment U on User { id username }", null));
        assertEquals(1, sameAnswer(backend, "{ users { id hasura } }", null));
        assertEquals(1, sameAnswer(backend, "{ usersPage(first: 2) { items { id username } hasNextPage endCursor } }", null));
        assertEquals(2, sameAnswer(backend, "{ a: users(first: 1) { id } b: users(search: \"x\") { username isActive } }", null));
        for (boolean s : List.of(true, false)) {
            assertEquals(1, sameAnswer(backend, "query ($s: Boolean!) { users { id email @skip(if: $s) firstName @include(if: $s) "
                    + "... on User @include(if: $s) { lastName } } }", Map.of("s", s)));
        }
        assertEquals(1, sameAnswer(new Users(List.of()), "{ users { id } }", null), "an empty page");
    }

    @Test
    void nullsInNullableFieldsStayNull() {
        List<KeycloakAuth.UserView> rows = new ArrayList<>(users(3));
        rows.set(1, new KeycloakAuth.UserView("id-1", "nobody", null, null, null, false, false, null, null, null));
        String query = "{ users { id username email firstName lastName dateJoined hasura } }";
        assertEquals(1, sameAnswer(new Users(rows), query, null));
        assertTrue(answer(flat, new Users(rows), query, null).contains("{\"id\":\"id-1\",\"username\":\"nobody\",\"email\":null"));
    }

    @Test
    void rolesAndProfilesTakeTheShortcutWithIdenticalAnswers() {
        Backend backend = new Users(users(6));
        assertEquals(1, sameAnswer(backend, "{ users { id roles } }", null));
        assertEquals(1, sameAnswer(backend, "{ users { id profile { role } } }", null));
        assertEquals(1, sameAnswer(backend, "{ users(first: 3) { id username email firstName lastName emailVerified isActive dateJoined "
                + "roles profile { role __typename r: role } } }", null));
        assertEquals(1, sameAnswer(backend, "query { usersPage { items { ...R } } } fragment R on User { roles p: profile { ... on Profile { role } } }", null));
        // no roles at all, and a Hasura role the mapper does not know (null)
        assertEquals(1, sameAnswer(new Users(users(2), id -> List.of(), id -> null), "{ users { roles profile { role } } }", null));
    }

    @Test
    void everythingElseTakesTheGenericPathWithIdenticalAnswers() {
        Backend backend = new Users(users(4));
        assertEquals(0, sameAnswer(backend, "{ whoami { id username roles } user(id: \"id-0\") { id profile { role } } }", null),
                "no lists of objects");

        // A null in a non-null field: the generic path reports it and propagates the null (users is [User!]).
        List<KeycloakAuth.UserView> broken = new ArrayList<>(users(3));
        broken.set(2, new KeycloakAuth.UserView(null, "x", null, null, null, true, true, null, null, null));
        assertEquals(0, sameAnswer(new Users(broken), "{ users { id username } }", null));
        assertTrue(answer(flat, new Users(broken), "{ users { id username } }", null).contains("\"errors\""));
        // The same list, the null field not selected: nothing wrong, so the shortcut applies.
        assertEquals(1, sameAnswer(new Users(broken), "{ users { username } }", null));

        // A null item in a list of non-null items.
        List<KeycloakAuth.UserView> withNull = new ArrayList<>(users(2));
        withNull.add(null);
        assertEquals(0, sameAnswer(new Users(withNull), "{ users { id } }", null));

        // A failing accessor (Keycloak refuses the role lookup) and a null role in [String!]!: errors with paths.
        Users failing = new Users(users(3), id -> {
            throw GraphqlException.forbidden("no roles for " + id);
        }, id -> "user");
        assertEquals(0, sameAnswer(failing, "{ users { id roles } }", null));
        assertTrue(answer(flat, failing, "{ users { id roles } }", null).contains("FORBIDDEN"));
        Users nullRole = new Users(users(3), id -> java.util.Arrays.asList("user", null), id -> "user");
        assertEquals(0, sameAnswer(nullRole, "{ users { id roles } }", null));
        assertEquals(1, sameAnswer(nullRole, "{ users { id profile { role } } }", null), "roles not selected");
    }

    private static List<KeycloakAuth.UserView> users(int n) {
        List<KeycloakAuth.UserView> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> hasura = new LinkedHashMap<>();
            hasura.put("x-hasura-default-role", "user");
            hasura.put("x-hasura-allowed-roles", List.of("user", "manager"));
            list.add(new KeycloakAuth.UserView("id-" + i, "user-" + i, "user-" + i + "@example.test", "First \"" + i + "\"",
                    "Last ✓ " + i, i % 2 == 0, i % 3 != 0, "2026-11-28T10:00:0" + i + "Z", null, i % 2 == 0 ? hasura : null));
        }
        return list;
    }

    /** A backend with a fixed user list; everything a manager may ask is allowed. */
    private record Users(List<KeycloakAuth.UserView> rows, java.util.function.Function<String, List<String>> roleLookup,
                         java.util.function.Function<String, String> hasuraRoleLookup) implements Backend {

        Users(List<KeycloakAuth.UserView> rows) {
            this(rows, id -> List.of("manager", "user:" + id), id -> id.endsWith("1") ? "manager" : "user");
        }

        @Override
        public KeycloakAuth.Tokens login(String username, String password, String clientId, String scope) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeycloakAuth.Tokens refresh(String refreshToken) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object verify(String token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long revoke(String token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeycloakAuth.SignUp signUp(String username, String password, String email, String firstName, String lastName) {
            throw new UnsupportedOperationException();
        }

        @Override
        public KeycloakAuth.Caller caller(List<String> authorization) {
            return new KeycloakAuth.Caller(null, null, null, Map.of());
        }

        @Override
        public KeycloakAuth.UserView whoami(KeycloakAuth.Caller caller) {
            return rows.get(0);
        }

        @Override
        public void requireUserViewer(KeycloakAuth.Caller caller) {
        }

        @Override
        public List<KeycloakAuth.UserView> users(String search, int offset, int size) {
            return rows.subList(0, Math.min(rows.size(), size + 1));
        }

        @Override
        public int countUsers(String search) {
            return rows.size();
        }

        @Override
        public Optional<KeycloakAuth.UserView> user(String id) {
            return rows.stream().filter(u -> u != null && id.equals(u.id())).findFirst();
        }

        @Override
        public List<String> roles(String userId) {
            return roleLookup.apply(userId);
        }

        @Override
        public String hasuraRole(String userId) {
            return hasuraRoleLookup.apply(userId);
        }
    }
}
