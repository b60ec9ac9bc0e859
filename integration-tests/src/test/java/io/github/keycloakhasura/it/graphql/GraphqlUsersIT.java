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

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** whoami and the manager-only user queries. */
@ExtendWith(KeycloakExtension.class)
class GraphqlUsersIT {

    static final String PASSWORD = GraphqlAuthIT.PASSWORD;
    static final String NS = GraphqlAuthIT.NS;

    static KeycloakAdmin admin;
    static Tokens tokens;
    static GraphqlClient graphql;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
        graphql = new GraphqlClient(keycloak);
    }

    /** tokenAuth through this class's own client (independent of the order test classes run in). */
    static JsonNode login(String username, String password) {
        return data(graphql.post(GraphqlAuthIT.TOKEN_AUTH, Map.of("u", username, "p", password), null)).get("tokenAuth");
    }

    /** Creates a user with the given realm roles and returns an access token obtained through tokenAuth. */
    static String tokenFor(String username, String... roles) {
        String id = admin.createUser(username, PASSWORD, null);
        if (roles.length > 0) {
            admin.addRealmRoles(id, roles);
        }
        return login(username, PASSWORD).get("token").asText();
    }

    @Test
    void seedWhoamiReturnsTheBearersUserWithRolesAndHasuraVariables() {
        String username = unique("me");
        String token = tokenFor(username);
        // The seed's request, literally, with Authorization: Bearer.
        JsonNode me = data(graphql.post("query { whoami { id username email } }", null, token)).get("whoami");
        assertEquals(username, me.get("username").asText());
        assertEquals(username + "@example.test", me.get("email").asText());

        JsonNode more = data(graphql.post("{ whoami { id roles profile { role } hasura isActive dateJoined } }", null, token))
                .get("whoami");
        assertTrue(strings(more.get("roles")).contains("user"), more.toString());
        assertEquals("user", more.get("profile").get("role").asText());
        assertEquals("user", more.get("hasura").get("x-hasura-default-role").asText());
        assertEquals(more.get("id").asText(), more.get("hasura").get("x-hasura-user-id").asText());
        assertTrue(more.get("isActive").asBoolean());
        assertTrue(more.get("dateJoined").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), more.toString());
    }

    @Test
    void whoamiNeedsAValidBearerTokenAndHasuraHeadersAloneNeverAuthenticate() {
        String query = "{ whoami { id } }";
        Http.Response missing = graphql.post(query);
        error(missing, "UNAUTHENTICATED");
        assertTrue(missing.json().get("data").get("whoami").isNull());
        error(graphql.post(query, null, "not-a-token"), "UNAUTHENTICATED");

        String id = admin.createUser(unique("victim"), PASSWORD, null);
        Http.Response spoofed = Http.send(HttpRequest.newBuilder(URI.create(graphql.url()))
                .header("Content-Type", "application/json")
                .header("x-hasura-user-id", id)
                .header("x-hasura-role", "manager")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ whoami { id } users { id } }\"}")));
        JsonNode errors = spoofed.json().get("errors");
        assertEquals(2, errors.size(), spoofed.body());
        errors.forEach(e -> assertEquals("UNAUTHENTICATED", e.get("extensions").get("code").asText()));

        Http.Response basic = Http.send(HttpRequest.newBuilder(URI.create(graphql.url()))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic YWRtaW46YWRtaW4=")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ whoami { id } }\"}")));
        error(basic, "UNAUTHENTICATED");
    }

    @Test
    void revokedSessionsNoLongerAuthenticate() {
        String username = unique("gone");
        admin.createUser(username, PASSWORD, null);
        JsonNode login = login(username, PASSWORD);
        data(graphql.post("mutation($r: String!) { revokeToken(refreshToken: $r) { revoked } }",
                Map.of("r", login.get("refreshToken").asText()), null));
        error(graphql.post("{ whoami { id } }", null, login.get("token").asText()), "UNAUTHENTICATED");
    }

    @Test
    void seedUsersListIsForManagersOnly() {
        String plain = tokenFor(unique("plain"));
        Http.Response forbidden = graphql.post("query { users { id username email } }", null, plain);
        error(forbidden, "FORBIDDEN");
        assertTrue(forbidden.json().get("data").get("users").isNull());
        error(graphql.post("query { users { id username email } }"), "UNAUTHENTICATED");

        String managerName = unique("boss");
        String manager = tokenFor(managerName, "manager");
        // The seed's request, literally.
        JsonNode users = data(graphql.post("query { users { id username email } }", null, manager)).get("users");
        assertTrue(users.isArray() && users.size() > 0, users.toString());
        assertTrue(users.size() <= 25, "bounded by the server's max-page-size option (25 in the tests)");
        JsonNode mine = data(graphql.post("query($s: String) { users(search: $s) { username profile { role } roles } }",
                Map.of("s", managerName), manager)).get("users");
        assertEquals(1, mine.size(), mine.toString());
        assertEquals("manager", mine.get(0).get("profile").get("role").asText());
        assertTrue(strings(mine.get(0).get("roles")).containsAll(List.of("manager", "user")));
    }

    @Test
    void realmManagementViewUsersAlsoMayListUsers() {
        String username = unique("auditor");
        String id = admin.createUser(username, PASSWORD, null);
        String realmManagement = admin.clientUuid("realm-management");
        admin.addClientRoles(id, realmManagement, "view-users");
        String token = login(username, PASSWORD).get("token").asText();
        JsonNode users = data(graphql.post("{ users(search: \"" + username + "\") { username } }", null, token)).get("users");
        assertEquals(username, users.get(0).get("username").asText());
    }

    @Test
    void usersArePagedWithCursorsAndBoundedPageSizes() {
        String manager = tokenFor(unique("pager"), "manager");
        String prefix = unique("page");
        for (int i = 0; i < 5; i++) {
            admin.createUser(prefix + "-" + i, PASSWORD, null);
        }
        String query = "query($s: String, $f: Int, $a: String) { usersPage(search: $s, first: $f, after: $a) "
                + "{ items { username } totalCount endCursor hasNextPage } }";
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Map<String, Object> vars = new java.util.HashMap<>(Map.of("s", prefix, "f", 2));
            vars.put("a", after);
            JsonNode page = data(graphql.post(query, vars, manager)).get("usersPage");
            assertEquals(5, page.get("totalCount").asInt());
            page.get("items").forEach(u -> seen.add(u.get("username").asText()));
            after = page.get("hasNextPage").asBoolean() ? page.get("endCursor").asText() : null;
            pages++;
        } while (after != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(List.of(prefix + "-0", prefix + "-1", prefix + "-2", prefix + "-3", prefix + "-4"), seen);

        // users takes the same arguments
        JsonNode second = data(graphql.post("query($s: String, $a: String) { users(search: $s, first: 2, after: $a) { username } }",
                Map.of("s", prefix, "a", cursorAfterFirstPage(prefix, manager)), manager)).get("users");
        assertEquals(prefix + "-2", second.get(0).get("username").asText());

        JsonNode tooBig = error(graphql.post("{ users(first: 26) { id } }", null, manager), "BAD_USER_INPUT");
        assertTrue(tooBig.get("message").asText().contains("25"), "max-page-size option applies: " + tooBig);
        error(graphql.post("{ users(first: 0) { id } }", null, manager), "BAD_USER_INPUT");
        error(graphql.post("{ users(after: \"bogus\") { id } }", null, manager), "BAD_USER_INPUT");
    }

    @Test
    void unsearchedPagesAreKeycloaksOwnUserListPageForPage() {
        String manager = tokenFor(unique("lister"), "manager");
        String robot = unique("robot");
        admin.createConfidentialClient(robot); // its service-account user is in neither list
        String mixed = unique("Mixed.Case_");
        admin.createUser(mixed, PASSWORD, null); // Keycloak stores usernames lower-cased
        admin.createUser(unique("0-first"), PASSWORD, null);
        admin.createUser(unique("zz-last"), PASSWORD, null);

        // Keycloak's own list: the admin REST API (what the admin console shows), 25 at a time.
        List<String> keycloaks = new ArrayList<>();
        for (int first = 0; ; first += 25) {
            Http.Response page = admin.call("GET", "/users?briefRepresentation=true&max=25&first=" + first, null);
            assertEquals(200, page.status(), page.toString());
            page.json().forEach(u -> keycloaks.add(u.get("id").asText() + " " + u.get("username").asText()));
            if (page.json().size() < 25) {
                break;
            }
        }
        // The same realm through usersPage, page after page (no search: the indexed page query).
        List<String> ours = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Map<String, Object> vars = new java.util.HashMap<>();
            vars.put("a", after);
            JsonNode page = data(graphql.post("query($a: String) { usersPage(first: 25, after: $a) { items { id username } "
                    + "endCursor hasNextPage } }", vars, manager)).get("usersPage");
            page.get("items").forEach(u -> ours.add(u.get("id").asText() + " " + u.get("username").asText()));
            after = page.get("hasNextPage").asBoolean() ? page.get("endCursor").asText() : null;
        } while (after != null && ++pages < 1000);

        assertEquals(keycloaks, ours);
        assertTrue(ours.stream().anyMatch(u -> u.endsWith(" " + mixed.toLowerCase())), "lower-cased username listed");
        assertFalse(ours.stream().anyMatch(u -> u.contains("service-account-")), "service accounts are not users here");
        List<String> names = ours.stream().map(u -> u.substring(u.indexOf(' ') + 1)).toList();
        assertEquals(names.stream().sorted().toList(), names, "ordered by username");
        // users (no paging information) gives the first page of the same list.
        JsonNode first = data(graphql.post("{ users(first: 25) { id username } }", null, manager)).get("users");
        List<String> firstPage = new ArrayList<>();
        first.forEach(u -> firstPage.add(u.get("id").asText() + " " + u.get("username").asText()));
        assertEquals(keycloaks.subList(0, Math.min(25, keycloaks.size())), firstPage);
    }

    private static String cursorAfterFirstPage(String prefix, String manager) {
        return data(graphql.post("query($s: String) { usersPage(search: $s, first: 2) { endCursor } }", Map.of("s", prefix), manager))
                .get("usersPage").get("endCursor").asText();
    }

    @Test
    void userByIdIsForManagersAndUnknownIdsAreNotFound() {
        String manager = tokenFor(unique("lead"), "manager");
        String username = unique("target");
        String id = admin.createUser(username, PASSWORD, null);
        JsonNode user = data(graphql.post("query($id: ID!) { user(id: $id) { id username email } }", Map.of("id", id), manager))
                .get("user");
        assertEquals(username, user.get("username").asText());
        error(graphql.post("query($id: ID!) { user(id: $id) { id } }", Map.of("id", "no-such-id"), manager), "NOT_FOUND");
        String plain = tokenFor(unique("nosy"));
        error(graphql.post("query($id: ID!) { user(id: $id) { id } }", Map.of("id", id), plain), "FORBIDDEN");
    }

    @Test
    void theUserTypeNeverExposesCredentials() {
        JsonNode fields = data(graphql.post("{ __type(name: \"User\") { fields { name } } }")).get("__type").get("fields");
        for (String name : fields.findValuesAsText("name")) {
            String lower = name.toLowerCase();
            assertFalse(lower.contains("password") || lower.contains("credential") || lower.contains("secret")
                    || lower.contains("otp"), name);
        }
        String manager = tokenFor(unique("curious"), "manager");
        error(graphql.post("{ users { password } }", null, manager), "BAD_USER_INPUT");
    }

    static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }
}
