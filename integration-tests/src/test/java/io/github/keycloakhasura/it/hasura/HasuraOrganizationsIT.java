package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.ExportRealms;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keycloak organizations as Hasura tenancy, on the real export (Organizations on, the Hasura mapper's organization
 * option on, group {@code admins} → {@code org_admin}): the active organization and its roles in the token, the
 * webhook and whoami; tokenAuth's {@code organization}, switchOrganization, removal at the next refresh. Organization
 * groups exist since Keycloak 26.6: on 26.4/26.5 the test checks that the group API is absent and no organization
 * role is ever given; everything else is asserted the same on every release.
 */
@ExtendWith(KeycloakExtension.class)
class HasuraOrganizationsIT {

    static final String NS = "https://hasura.io/jwt/claims";
    static final String PASSWORD = "Secret-pass-123";

    private static KeycloakServer server;
    private static String realm;
    private static KeycloakAdmin admin;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) throws IOException {
        server = keycloak;
        realm = unique("it-orgs");
        admin = new KeycloakAdmin(server, realm);
        admin.importRealm(ExportRealms.copyNamed(realm));
    }

    @AfterAll
    static void deleteRealm() {
        if (admin != null) {
            admin.deleteRealm();
        }
    }

    /** Organization groups: Keycloak 26.6 and later. */
    static boolean organizationGroups() {
        String[] v = System.getProperty("keycloak.version", "26.7.3").split("\\.");
        int major = Integer.parseInt(v[0]);
        return major > 26 || major == 26 && Integer.parseInt(v[1]) >= 6;
    }

    // ------------------------------------------------------------------------------------------------ arrangement

    /** A new organization; returns [id, alias]. */
    static String[] organization(KeycloakAdmin admin, String prefix) {
        String alias = unique(prefix);
        Http.Response r = admin.call("POST", "/organizations", Map.of("name", alias, "alias", alias,
                "domains", List.of(Map.of("name", alias + ".example"))));
        assertEquals(201, r.status(), r.toString());
        String location = r.header("Location");
        return new String[] {location.substring(location.lastIndexOf('/') + 1), alias};
    }

    static void addMember(KeycloakAdmin admin, String orgId, String userId) {
        Http.Response r = admin.call("POST", "/organizations/" + orgId + "/members", userId);
        assertEquals(201, r.status(), r.toString());
    }

    /**
     * Puts the user into the organization's group {@code name} (26.6+); before 26.6 checks that Keycloak has no such
     * API, so no organization role can come from one.
     */
    static void joinOrganizationGroup(KeycloakAdmin admin, String orgId, String name, String userId) {
        Http.Response created = admin.call("POST", "/organizations/" + orgId + "/groups", Map.of("name", name));
        if (!organizationGroups()) {
            assertTrue(created.status() == 404 || created.status() == 405, "no organization groups before 26.6: " + created);
            return;
        }
        assertEquals(201, created.status(), created.toString());
        String location = created.header("Location");
        String groupId = location.substring(location.lastIndexOf('/') + 1);
        Http.Response joined = admin.call("PUT", "/organizations/" + orgId + "/groups/" + groupId + "/members/" + userId, null);
        assertTrue(joined.status() < 300, joined.toString());
    }

    static String url(String path) {
        return server.baseUrl() + "/realms/" + realm + path;
    }

    static JsonNode graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        Http.Response r = Http.json("POST", url("/graphql"), body, bearer);
        assertEquals(200, r.status(), r.toString());
        return r.json();
    }

    static JsonNode data(JsonNode response) {
        assertTrue(response.path("errors").isMissingNode(), response.toString());
        return response.get("data");
    }

    static String errorCode(JsonNode response) {
        return response.path("errors").path(0).path("extensions").path("code").asText(null);
    }

    static JsonNode login(String username, String organization) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("u", username);
        vars.put("p", PASSWORD);
        vars.put("o", organization);
        return graphql("mutation($u: String!, $p: String!, $o: String) { tokenAuth(username: $u, password: $p, organization: $o) "
                + "{ token refreshToken } }", vars, null);
    }

    static JsonNode switchTo(String refreshToken, String organization) {
        return graphql("mutation($r: String!, $o: String!) { switchOrganization(refreshToken: $r, organization: $o) "
                + "{ token refreshToken } }", Map.of("r", refreshToken, "o", organization), null);
    }

    static JsonNode refresh(String refreshToken) {
        return data(graphql("mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }",
                Map.of("r", refreshToken), null)).get("refreshToken");
    }

    static JsonNode claims(String accessToken) {
        return Jwt.payload(accessToken).get(NS);
    }

    static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    static String arrayLiteral(String... ids) {
        return "{" + String.join(",", new TreeSet<>(List.of(ids))) + "}";
    }

    static Http.Response webhook(String bearer, String role, String orgId) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url("/hasura/webhook"))).GET()
                .header("Authorization", "Bearer " + bearer);
        if (role != null) {
            b.header("X-Hasura-Role", role);
        }
        if (orgId != null) {
            b.header("X-Hasura-Org-Id", orgId);
        }
        return Http.send(b);
    }

    /** Every Hasura claim is what Hasura's JWT mode takes as a session variable: strings, array literals. */
    static void assertHasuraAccepts(String accessToken, String role) {
        JsonNode claims = claims(accessToken);
        for (Iterator<Map.Entry<String, JsonNode>> it = claims.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("x-hasura-allowed-roles")) {
                assertTrue(e.getValue().isTextual(), e.getKey() + " must be a string: " + claims);
            }
        }
        if (claims.has("x-hasura-org-ids")) {
            assertTrue(claims.get("x-hasura-org-ids").asText().matches("\\{[^{}]*}"), claims.toString());
        }
        HasuraSession session = HasuraSession.fromAccessToken(accessToken, role);
        assertNotNull(session, "Hasura would refuse role " + role + ": " + claims);
        assertEquals(role, session.variables().get("x-hasura-role"));
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void adminInAMemberInBGetsAsRolesOnlyInAAndBsVariablesAfterTheSwitch() {
        String[] a = organization(admin, "org-a");
        String[] b = organization(admin, "org-b");
        String[] foreign = organization(admin, "org-c");
        String username = unique("tenant");
        String userId = admin.createUser(username, PASSWORD, null);
        admin.addRealmRoles(userId, "user");
        addMember(admin, a[0], userId);
        addMember(admin, b[0], userId);
        joinOrganizationGroup(admin, a[0], "admins", userId);
        joinOrganizationGroup(admin, b[0], "members", userId);

        JsonNode loggedIn = data(login(username, a[1])).get("tokenAuth");
        String tokenA = loggedIn.get("token").asText();
        JsonNode inA = claims(tokenA);
        assertEquals(a[0], inA.path("x-hasura-org-id").asText(), inA.toString());
        assertEquals(arrayLiteral(a[0], b[0]), inA.path("x-hasura-org-ids").asText());
        assertEquals(organizationGroups(), strings(inA.get("x-hasura-allowed-roles")).contains("org_admin"), inA.toString());
        assertEquals("user", inA.path("x-hasura-default-role").asText());
        assertHasuraAccepts(tokenA, organizationGroups() ? "org_admin" : "user");

        JsonNode switched = data(switchTo(loggedIn.get("refreshToken").asText(), b[1])).get("switchOrganization");
        String tokenB = switched.get("token").asText();
        JsonNode inB = claims(tokenB);
        assertEquals(b[0], inB.path("x-hasura-org-id").asText(), inB.toString());
        assertEquals(arrayLiteral(a[0], b[0]), inB.path("x-hasura-org-ids").asText());
        assertFalse(strings(inB.get("x-hasura-allowed-roles")).contains("org_admin"),
                "a role held in another organization must never appear: " + inB);
        assertHasuraAccepts(tokenB, "user");
        assertEquals(jwtSession(tokenA), jwtSession(tokenB), "the switch keeps the session");

        // The next refresh keeps B.
        JsonNode again = refresh(switched.get("refreshToken").asText());
        assertEquals(b[0], claims(again.get("token").asText()).path("x-hasura-org-id").asText());

        // whoami and organizations agree with the token.
        JsonNode me = data(graphql("{ whoami { hasura profile { role } } organizations { id alias name domains roles active } }",
                null, tokenB));
        assertEquals(inB, me.at("/whoami/hasura"));
        assertEquals("user", me.at("/whoami/profile/role").asText());
        Map<String, JsonNode> orgs = new LinkedHashMap<>();
        me.get("organizations").forEach(o -> orgs.put(o.get("id").asText(), o));
        assertEquals(new TreeSet<>(List.of(a[0], b[0])), new TreeSet<>(orgs.keySet()));
        assertTrue(orgs.get(b[0]).get("active").asBoolean());
        assertFalse(orgs.get(a[0]).get("active").asBoolean());
        assertEquals(List.of(a[1] + ".example"), strings(orgs.get(a[0]).get("domains")));
        assertEquals(organizationGroups() ? List.of("org_admin") : List.of(), strings(orgs.get(a[0]).get("roles")));
        assertEquals(List.of(), strings(orgs.get(b[0]).get("roles")));

        // The webhook: B's variables by default; A's with the header (checked live); a foreign organization 401.
        Http.Response plain = webhook(tokenB, null, null);
        assertEquals(200, plain.status(), plain.toString());
        assertEquals(b[0], plain.json().path("X-Hasura-Org-Id").asText());
        Http.Response headerB = webhook(tokenA, null, b[0]);
        assertEquals(200, headerB.status(), headerB.toString());
        assertEquals(b[0], headerB.json().path("X-Hasura-Org-Id").asText());
        assertEquals(arrayLiteral(a[0], b[0]), headerB.json().path("X-Hasura-Org-Ids").asText());
        Http.Response adminInB = webhook(tokenA, "org_admin", b[0]);
        assertEquals(401, adminInB.status(), "org_admin of A must not be org_admin in B: " + adminInB);
        if (organizationGroups()) {
            Http.Response adminInA = webhook(tokenB, "org_admin", a[0]);
            assertEquals(200, adminInA.status(), adminInA.toString());
            assertEquals(a[0], adminInA.json().path("X-Hasura-Org-Id").asText());
        }
        assertEquals(401, webhook(tokenB, null, foreign[0]).status());
        // POST mode: Hasura sends the client's headers in the body, in any case.
        Http.Response posted = Http.json("POST", url("/hasura/webhook"), Map.of("headers", Map.of(
                "Authorization", "Bearer " + tokenB, "X-Hasura-Org-Id", a[0]), "request", Map.of()), null);
        assertEquals(200, posted.status(), posted.toString());
        assertEquals(a[0], posted.json().path("X-Hasura-Org-Id").asText());
        Http.Response postedForeign = Http.json("POST", url("/hasura/webhook"), Map.of("headers", Map.of(
                "authorization", "Bearer " + tokenB, "x-hasura-org-id", foreign[0]), "request", Map.of()), null);
        assertEquals(401, postedForeign.status(), postedForeign.toString());
        assertEquals(401, webhook(tokenB, null, "no-such-org").status());

        // Removed from B: the next refresh has no active organization (never silently A) and only A among the ids.
        assertEquals(204, admin.call("DELETE", "/organizations/" + b[0] + "/members/" + userId, null).status());
        JsonNode afterRemoval = claims(refresh(again.get("refreshToken").asText()).get("token").asText());
        assertFalse(afterRemoval.has("x-hasura-org-id"), afterRemoval.toString());
        assertEquals(arrayLiteral(a[0]), afterRemoval.path("x-hasura-org-ids").asText());
        assertFalse(strings(afterRemoval.get("x-hasura-allowed-roles")).contains("org_admin"), afterRemoval.toString());
        assertEquals(401, webhook(tokenB, null, b[0]).status(), "membership is checked live");
        assertEquals("FORBIDDEN", errorCode(switchTo(again.get("refreshToken").asText(), b[1])));
    }

    @Test
    void withoutOrganizationTheOnlyOneIsActiveSeveralGiveNoneAndNoneGivesAnEmptyList() {
        String[] a = organization(admin, "solo-a");
        String[] b = organization(admin, "solo-b");
        String one = unique("one-org");
        String oneId = admin.createUser(one, PASSWORD, null);
        addMember(admin, a[0], oneId);
        String two = unique("two-orgs");
        String twoId = admin.createUser(two, PASSWORD, null);
        addMember(admin, a[0], twoId);
        addMember(admin, b[0], twoId);
        String none = unique("no-org");
        admin.createUser(none, PASSWORD, null);

        JsonNode oneClaims = claims(data(login(one, null)).at("/tokenAuth/token").asText());
        assertEquals(a[0], oneClaims.path("x-hasura-org-id").asText(), oneClaims.toString());
        assertEquals(arrayLiteral(a[0]), oneClaims.path("x-hasura-org-ids").asText());

        JsonNode twoLogin = data(login(two, null)).get("tokenAuth");
        JsonNode twoClaims = claims(twoLogin.get("token").asText());
        assertFalse(twoClaims.has("x-hasura-org-id"), "several organizations, none asked for: none active: " + twoClaims);
        assertEquals(arrayLiteral(a[0], b[0]), twoClaims.path("x-hasura-org-ids").asText());
        assertHasuraAccepts(twoLogin.get("token").asText(), "user");
        // … and such a session may still switch.
        JsonNode switched = claims(data(switchTo(twoLogin.get("refreshToken").asText(), a[1])).at("/switchOrganization/token").asText());
        assertEquals(a[0], switched.path("x-hasura-org-id").asText());

        // /userinfo with an older token of the session shows that token's organization and does not switch the session.
        String openid = data(graphql("mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p, scope: \"openid\") "
                + "{ refreshToken } }", Map.of("u", two, "p", PASSWORD), null)).at("/tokenAuth/refreshToken").asText();
        String oldA = data(switchTo(openid, a[1])).at("/switchOrganization/token").asText();
        JsonNode toB = data(switchTo(openid, b[1])).get("switchOrganization");
        Http.Response userinfo = Http.get(url("/protocol/openid-connect/userinfo"), oldA);
        assertEquals(200, userinfo.status(), userinfo.toString());
        assertEquals(a[0], userinfo.json().path(NS).path("x-hasura-org-id").asText(), userinfo.body());
        assertEquals(b[0], claims(refresh(toB.get("refreshToken").asText()).get("token").asText()).path("x-hasura-org-id").asText(),
                "the session stays in B");

        String noneToken = data(login(none, null)).at("/tokenAuth/token").asText();
        JsonNode noneClaims = claims(noneToken);
        assertFalse(noneClaims.has("x-hasura-org-id"));
        assertEquals("{}", noneClaims.path("x-hasura-org-ids").asText());
        assertHasuraAccepts(noneToken, "user");
    }

    @Test
    void loggingInOrSwitchingToAnOrganizationOfWhichTheUserIsNoMemberIsForbidden() {
        String[] a = organization(admin, "mine");
        String[] other = organization(admin, "not-mine");
        String username = unique("outsider");
        String userId = admin.createUser(username, PASSWORD, null);
        addMember(admin, a[0], userId);

        assertEquals("FORBIDDEN", errorCode(login(username, other[1])));
        assertEquals("FORBIDDEN", errorCode(login(username, "no-such-alias")));
        assertEquals("UNAUTHENTICATED", errorCode(graphql("mutation($o: String) { tokenAuth(username: \"" + username
                + "\", password: \"wrong-Pass-1\", organization: $o) { token } }", Map.of("o", other[1]), null)),
                "a wrong password says nothing about memberships");
        JsonNode loggedIn = data(login(username, a[1])).get("tokenAuth");
        assertEquals("FORBIDDEN", errorCode(switchTo(loggedIn.get("refreshToken").asText(), other[1])));
        assertEquals("FORBIDDEN", errorCode(switchTo(loggedIn.get("refreshToken").asText(), "no-such-alias")),
                "an alias of no organization answers as a foreign one: no existence oracle");
        // A refused switch leaves the session as it was: its refresh token still works, in the same organization.
        assertEquals(a[0], claims(refresh(loggedIn.get("refreshToken").asText()).get("token").asText()).path("x-hasura-org-id").asText());
        assertEquals("UNAUTHENTICATED", errorCode(switchTo("not-a-token", a[1])));
    }

    @Test
    void anOrganizationGroupNamedAdminNeverYieldsHasurasAdmin() {
        String[] a = organization(admin, "admin-group");
        String username = unique("adminish");
        String userId = admin.createUser(username, PASSWORD, null);
        addMember(admin, a[0], userId);
        joinOrganizationGroup(admin, a[0], "admin", userId);
        joinOrganizationGroup(admin, a[0], "admins", userId);
        JsonNode inA = claims(data(login(username, a[1])).at("/tokenAuth/token").asText());
        assertFalse(strings(inA.get("x-hasura-allowed-roles")).contains("admin"), inA.toString());
        assertNull(HasuraSession.fromAccessToken(data(login(username, a[1])).at("/tokenAuth/token").asText(), "admin"));

        // The mapper refuses to map any group to admin.
        JsonNode scope = null;
        for (JsonNode s : admin.call("GET", "/client-scopes", null).json()) {
            if (s.path("name").asText().equals("hasura")) {
                scope = s;
            }
        }
        assertNotNull(scope);
        JsonNode mapper = null;
        for (JsonNode m : scope.get("protocolMappers")) {
            if (m.path("protocolMapper").asText().equals("hasura-claims-mapper")) {
                mapper = m;
            }
        }
        assertNotNull(mapper);
        ((com.fasterxml.jackson.databind.node.ObjectNode) mapper.get("config")).put("hasura.organizations.group-roles", "admin:admin");
        Http.Response refused = admin.call("PUT", "/client-scopes/" + scope.get("id").asText() + "/protocol-mappers/models/"
                + mapper.get("id").asText(), mapper);
        assertEquals(400, refused.status(), refused.toString());
    }

    @Test
    void theAdminConsoleSaysWhetherThisReleaseHasOrganizationGroups() {
        Http.Response info = Http.get(server.baseUrl() + "/admin/serverinfo", admin.token());
        assertEquals(200, info.status(), info.toString());
        String help = null;
        for (JsonNode type : info.json().at("/protocolMapperTypes/openid-connect")) {
            if (type.path("id").asText().equals("hasura-claims-mapper")) {
                for (JsonNode property : type.path("properties")) {
                    if (property.path("name").asText().equals("hasura.organizations.group-roles")) {
                        help = property.path("helpText").asText();
                    }
                }
            }
        }
        assertNotNull(help, "the Hasura mapper's organization group roles option in the admin console");
        assertEquals(!organizationGroups(), help.contains("has no organization groups"), help);
    }

    private static String jwtSession(String token) {
        JsonNode payload = Jwt.payload(token);
        return payload.has("sid") ? payload.get("sid").asText() : payload.path("session_state").asText();
    }
}
