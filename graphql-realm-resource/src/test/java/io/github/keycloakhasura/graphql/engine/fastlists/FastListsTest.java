package io.github.keycloakhasura.graphql.engine.fastlists;

import io.github.keycloakhasura.variables.SessionVariables;
import io.github.keycloakhasura.graphql.QueryBackend;
import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.engine.GraphqlRequest;
import io.github.keycloakhasura.graphql.engine.fastlists.ResultObject;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.spi.Capabilities;
import io.github.keycloakhasura.graphql.http.ResponseWriter;

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
 * The differential suite of {@link FastLists}: the shortcut for lists of plain objects answers exactly what
 * graphql-java's generic executor answers (same JSON bytes, errors included), and it is really taken where it
 * applies and stepped around where it does not. Re-run and review it whenever graphql-java changes
 * ({@link FastLists#VERIFIED_GRAPHQL_JAVA}).
 */
class FastListsTest {

    private final GraphqlConfig config = GraphqlConfig.from(Map.of("max-page-size", "10")::get);
    /** The server's default engine: fast-lists on. */
    private final GraphqlEngine flat = new GraphqlEngine(config, Capabilities.schema());
    /** The reference: graphql-java's executor for every field. */
    private final GraphqlEngine generic = new GraphqlEngine(
            GraphqlConfig.from(Map.of("max-page-size", "10", "fast-lists", "false")::get), Capabilities.schema());

    /**
     * Runs the document on both engines, asserts the same answer, returns how many non-empty lists the shortcut
     * completed (its objects are {@link ResultObject}s; the generic path's are maps of its own).
     */
    private long sameAnswer(Backend backend, String query, Map<String, Object> variables) {
        GraphqlEngine.Outcome reference = outcome(generic, backend, query, variables);
        GraphqlEngine.Outcome fast = outcome(flat, backend, query, variables);
        assertEquals(json(reference), json(fast), query + " " + variables);
        assertEquals(0, shortcutLists(reference.body()), "the reference engine never takes the shortcut");
        return shortcutLists(fast.body());
    }

    private static long shortcutLists(Object value) {
        if (value instanceof List<?> list) {
            long own = list.stream().anyMatch(ResultObject.class::isInstance) ? 1 : 0;
            return own + list.stream().mapToLong(FastListsTest::shortcutLists).sum();
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().mapToLong(FastListsTest::shortcutLists).sum();
        }
        return 0;
    }

    private GraphqlEngine.Outcome outcome(GraphqlEngine engine, Backend backend, String query, Map<String, Object> variables) {
        return engine.execute(new GraphqlRequest(query, null, variables),
                new RequestContext(backend, config, List.of("Bearer x")).asGraphqlContext(), true);
    }

    private static String json(GraphqlEngine.Outcome outcome) {
        return new String(ResponseWriter.write(outcome.body()), StandardCharsets.UTF_8);
    }

    private String answer(GraphqlEngine engine, Backend backend, String query, Map<String, Object> variables) {
        return json(outcome(engine, backend, query, variables));
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
        assertEquals(0, sameAnswer(new Users(List.of()), "{ users { id } }", null), "an empty page: the same answer (nothing to tell the paths apart by)");
    }

    @Test
    void nullsInNullableFieldsStayNull() {
        List<UserView> rows = new ArrayList<>(users(3));
        rows.set(1, new UserView("id-1", "nobody", null, null, null, false, false, null, null));
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
        List<UserView> broken = new ArrayList<>(users(3));
        broken.set(2, new UserView(null, "x", null, null, null, true, true, null, null));
        assertEquals(0, sameAnswer(new Users(broken), "{ users { id username } }", null));
        assertTrue(answer(flat, new Users(broken), "{ users { id username } }", null).contains("\"errors\""));
        // The same list, the null field not selected: nothing wrong, so the shortcut applies.
        assertEquals(1, sameAnswer(new Users(broken), "{ users { username } }", null));

        // A null item in a list of non-null items.
        List<UserView> withNull = new ArrayList<>(users(2));
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

    private static List<UserView> users(int n) {
        List<UserView> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new UserView("id-" + i, "user-" + i, "user-" + i + "@example.test", "First \"" + i + "\"",
                    "Last ✓ " + i, i % 2 == 0, i % 3 != 0, "2026-11-28T10:00:0" + i + "Z", null));
        }
        return list;
    }

    /** A backend with a fixed user list; everything a manager may ask is allowed. */
    private record Users(List<UserView> rows, java.util.function.Function<String, List<String>> roleLookup,
                         java.util.function.Function<String, String> hasuraRoleLookup) implements QueryBackend {

        Users(List<UserView> rows) {
            this(rows, id -> List.of("manager", "user:" + id), id -> id.endsWith("1") ? "manager" : "user");
        }

        /** The caller is user id-0: its own row carries session variables (User.hasura), the others none. */
        @Override
        public Caller caller(List<String> authorization) {
            return () -> "id-0";
        }

        @Override
        public UserView whoami(Caller caller) {
            return rows.get(0);
        }

        @Override
        public SessionVariables sessionVariables(Caller caller) {
            Map<String, Object> hasura = new LinkedHashMap<>();
            hasura.put("x-hasura-default-role", "user");
            hasura.put("x-hasura-allowed-roles", List.of("user", "manager"));
            hasura.put("x-hasura-user-id", caller.userId());
            return new SessionVariables.Variables(hasura);
        }

        @Override
        public void requireUserViewer(Caller caller) {
        }

        @Override
        public List<UserView> users(String search, int offset, int size) {
            return rows.subList(0, Math.min(rows.size(), size + 1));
        }

        @Override
        public int countUsers(String search) {
            return rows.size();
        }

        @Override
        public Optional<UserView> user(String id) {
            return rows.stream().filter(u -> u != null && id.equals(u.id())).findFirst();
        }

        @Override
        public List<String> roles(String userId) {
            return roleLookup.apply(userId);
        }

        @Override
        public String hasuraRole(Caller caller, String userId) {
            return hasuraRoleLookup.apply(userId);
        }
    }
}
