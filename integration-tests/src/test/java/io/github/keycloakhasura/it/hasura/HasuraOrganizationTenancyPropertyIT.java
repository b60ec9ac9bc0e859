package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.hasura.RandomTenancy.Org;
import io.github.keycloakhasura.it.hasura.RandomTenancy.User;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static io.github.keycloakhasura.it.hasura.TenancyRequests.answerVariables;
import static io.github.keycloakhasura.it.hasura.TenancyRequests.ids;
import static io.github.keycloakhasura.it.hasura.TenancyRequests.variables;
import static io.github.keycloakhasura.it.hasura.TenancyRequests.vars;
import static io.github.keycloakhasura.it.hasura.TenancyRequests.webhookAs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Organizations as Hasura tenancy, as a property against the real Keycloak: random organizations, memberships,
 * organization groups (26.6+) and group-to-role option values, then per user a random walk of tokenAuth (with or
 * without an organization), switchOrganization, refreshToken and removals from organizations, each token checked with
 * whoami and random webhook calls (GET or POST, random {@code X-Hasura-Org-Id} and {@code X-Hasura-Role}):
 * <ul>
 *   <li>the active organization and {@code x-hasura-org-ids} are the rules ({@link RandomTenancy#active});
 *   logging in or switching to an organization of which the user is no member is FORBIDDEN and leaves the session
 *   usable;</li>
 *   <li>the allowed roles are the realm's plus the active organization's: a role held only in another organization
 *   never appears, with any organization active; {@code admin} never appears;</li>
 *   <li>the token, whoami and the webhook agree; the webhook's header picks among current memberships only (401
 *   otherwise), and its role must be allowed with that organization active;</li>
 *   <li>an option giving {@code admin} is refused when saved;</li>
 *   <li>Keycloak's own rule, from 26.7: a login that resolved exactly one organization binds the session to it (the
 *   refresh token's {@code organization} claim), and once the user has left it every refresh of that session,
 *   switchOrganization included, is UNAUTHENTICATED.</li>
 * </ul>
 * The seed is printed; replay with {@code -Dhasura.organizations.seed=<seed>}; size with
 * {@code -Dhasura.organizations.users=} and {@code -Dhasura.organizations.steps=}.
 */
@ExtendWith(KeycloakExtension.class)
class HasuraOrganizationTenancyPropertyIT {

    private static final String NS = HasuraSession.NAMESPACE;

    /** A session of the walk: its latest tokens, the organization its token asked for, the one it remembers. */
    private static final class Session {
        String refreshToken;
        String access;
        String asked;
        String remembered;
        /** Keycloak 26.7+: the alias of the organization the session is bound to (the refresh token's claim), or null. */
        String boundTo;
        /** The user left an organization since this session's login. */
        boolean userLeftAnOrganization;
    }

    /**
     * Keycloak 26.7+ may end a session whose user left an organization since its login (its organization checks on
     * refresh: TokenManager.validateSelectedOrganization and the organization scope); UNAUTHENTICATED is then a
     * right answer of a refresh or switch. Never a token with other claims: those are checked as always.
     */
    private static boolean endedByKeycloak(JsonNode answer, Session session, boolean keycloak267) {
        return keycloak267 && session.userLeftAnOrganization
                && "UNAUTHENTICATED".equals(HasuraOrganizationsIT.errorCode(answer));
    }

    @Test
    void rolesOnlyFromTheActiveOrganizationNeverAdminAndTokenWhoamiWebhookAgree(KeycloakServer server) {
        long seed = Long.getLong("hasura.organizations.seed", System.nanoTime());
        int users = Integer.getInteger("hasura.organizations.users", 8);
        int steps = Integer.getInteger("hasura.organizations.steps", 6);
        System.out.println("HasuraOrganizationTenancyPropertyIT seed: " + seed + " (replay with -Dhasura.organizations.seed=" + seed + ")");
        Random random = new Random(seed);
        RandomTenancy world = new RandomTenancy(random, HasuraOrganizationsIT.organizationGroups());
        int[] cases = {0};
        try (HasuraRealm realm = HasuraRealm.imported(server, "it-org-prop",
                HasuraRealm.hasuraMapperConfig(Map.of("hasura.organizations.group-roles", world.option(false))))) {
            ObjectNode mapper = realm.hasuraScopeMapper();
            ((ObjectNode) mapper.get("config")).put("hasura.organizations.group-roles", world.option(true));
            Http.Response refused = realm.admin.call("PUT", realm.hasuraScopeModels() + "/" + mapper.get("id").asText(), mapper);
            assertEquals(400, refused.status(), "a group giving admin must be refused: " + refused);
            world.createOrganizations(realm.admin, 3);
            for (int u = 0; u < users; u++) {
                User user = world.createUser(realm.admin);
                walk(realm, world, user, steps, "seed " + seed + ", option " + world.groupRoles + ", user " + user, cases);
            }
        }
        System.out.printf("HasuraOrganizationTenancyPropertyIT: %d cases (endpoint answers) checked, %d users; seed %d%n",
                cases[0], users, seed);
    }

    private static void walk(HasuraRealm realm, RandomTenancy world, User user, int steps, String where, int[] cases) {
        Session session = null;
        // Keycloak 26.7 refuses the refresh of an organization:* session whose user has no organization left.
        String[] v = System.getProperty("keycloak.version", "26.7.3").split("\\.");
        boolean keycloak267 = Integer.parseInt(v[0]) > 26 || Integer.parseInt(v[0]) == 26 && Integer.parseInt(v[1]) >= 7;
        for (int step = 0; step < steps; step++) {
            int dice = world.random.nextInt(10);
            String at = where + ", step " + step + " " + user.groups();
            if (session == null || dice < 2) {
                Org org = world.random.nextInt(3) == 0 ? null : world.pick(user);
                JsonNode answer = realm.graphql("mutation($u: String!, $p: String!, $o: String) { tokenAuth(username: $u, "
                        + "password: $p, organization: $o) { token refreshToken } }", vars("u", user.username(), "p",
                        HasuraOrganizationsIT.PASSWORD, "o", org == null ? null : org.alias()), null);
                at += ", tokenAuth(organization: " + (org == null ? null : org.alias()) + ")";
                if (org != null && !user.member(org.id())) {
                    assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(answer), at + " -> " + answer);
                    cases[0]++;
                    continue;
                }
                session = new Session();
                session.asked = org == null ? null : org.id();
                session.remembered = session.asked;
                take(session, answer, "tokenAuth", at);
            } else if (dice < 8 && (session.boundTo != null && !user.member(world.idOf(session.boundTo))
                    || keycloak267 && user.groups().isEmpty() && session.refreshToken != null
                    && Jwt.payload(session.refreshToken).path("scope").asText().contains("organization:*"))) {
                // Keycloak 26.7+ refuses every refresh of a session bound to an organization the user left
                // (TokenManager.validateSelectedOrganization): the session is over, a switch included.
                boolean bound = session.boundTo != null && !user.member(world.idOf(session.boundTo));
                JsonNode answer = dice < 6
                        ? realm.graphql("mutation($r: String!, $o: String!) { switchOrganization(refreshToken: $r, "
                        + "organization: $o) { token } }", vars("r", session.refreshToken, "o", world.pick(user).alias()), null)
                        : realm.graphql("mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }",
                        vars("r", session.refreshToken), null);
                String code = HasuraOrganizationsIT.errorCode(answer);
                if (!bound && dice >= 6 && code == null) {
                    // An organization:* session whose user has no organization left: Keycloak 26.7 may also keep it
                    // and drop the organization scope (its refresh token names no organization, so
                    // validateSelectedOrganization has none to refuse; seed 24743430389917). Then the new token must
                    // carry no organization and no organization role: checked like any other.
                    at += ", refreshToken (kept, without organizations)";
                    session.asked = null;
                    take(session, answer, "refreshToken", at);
                    cases[0] += check(realm, world, user, session, at);
                    continue;
                }
                // No token otherwise: a switch to an organization the user is not in may be refused as FORBIDDEN first.
                assertTrue("UNAUTHENTICATED".equals(code) || dice < 6 && "FORBIDDEN".equals(code),
                        at + ", bound session -> " + answer);
                cases[0]++;
                session = null;
                continue;
            } else if (dice < 6) {
                Org org = world.pick(user);
                JsonNode answer = realm.graphql("mutation($r: String!, $o: String!) { switchOrganization(refreshToken: $r, "
                        + "organization: $o) { token refreshToken } }", vars("r", session.refreshToken, "o", org.alias()), null);
                at += ", switchOrganization(" + org.alias() + ")";
                if (!user.member(org.id())) {
                    assertEquals("FORBIDDEN", HasuraOrganizationsIT.errorCode(answer), at + " -> " + answer);
                    cases[0]++;
                    dice = 6; // a refused switch leaves the session as it was: its refresh token still works
                } else if (endedByKeycloak(answer, session, keycloak267)) {
                    cases[0]++;
                    session = null;
                    continue;
                } else {
                    session.asked = org.id();
                    session.remembered = org.id();
                    take(session, answer, "switchOrganization", at);
                }
            } else if (dice < 8 || user.groups().isEmpty()) {
                dice = 6;
            } else {
                List<String> mine = new ArrayList<>(user.groups().keySet());
                String removed = mine.get(world.random.nextInt(mine.size()));
                RandomTenancy.remove(realm.admin, user, removed);
                session.userLeftAnOrganization = true;
                at += ", removed from " + world.org(removed).alias();
                // The last access token is stale now: the webhook reads memberships live.
                for (int i = 0; i < 2; i++) {
                    webhook(realm, world, user, session, null, at);
                    cases[0]++;
                }
                Http.Response gone = webhookAs(realm, session.access, null, removed, world.random.nextBoolean());
                assertEquals(401, gone.status(), "the removed organization, live: " + at + " -> " + gone);
                cases[0]++;
                continue;
            }
            if (dice == 6) {
                JsonNode answer = realm.graphql("mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }",
                        vars("r", session.refreshToken), null);
                at += ", refreshToken";
                if (endedByKeycloak(answer, session, keycloak267)) {
                    cases[0]++;
                    session = null;
                    continue;
                }
                session.asked = null;
                take(session, answer, "refreshToken", at);
            }
            cases[0] += check(realm, world, user, session, at);
        }
    }

    private static void take(Session session, JsonNode answer, String field, String at) {
        assertTrue(answer.path("errors").isMissingNode(), at + " -> " + answer);
        session.access = answer.at("/data/" + field + "/token").asText();
        session.refreshToken = answer.at("/data/" + field + "/refreshToken").asText();
        session.boundTo = Jwt.payload(session.refreshToken).path("organization").asText(null);
    }

    /** The fresh token, whoami and a few webhook calls; returns the number of answers checked. */
    private static int check(HasuraRealm realm, RandomTenancy world, User user, Session session, String where) {
        JsonNode claims = Jwt.payload(session.access).get(NS);
        String at = where + ", token " + claims;
        assertNotNull(claims, at);
        String active = RandomTenancy.active(user, session.asked, session.remembered);
        assertEquals(active, claims.has("x-hasura-org-id") ? claims.get("x-hasura-org-id").asText() : null, "active organization: " + at);
        assertEquals(ids(RandomTenancy.idsLiteral(user)), ids(claims.path("x-hasura-org-ids").asText()), "x-hasura-org-ids: " + at);
        Set<String> allowed = new TreeSet<>();
        claims.get("x-hasura-allowed-roles").forEach(n -> allowed.add(n.asText()));
        for (String foreign : world.foreignOnly(user, active)) {
            assertFalse(allowed.contains(foreign), "role " + foreign + " of another organization: " + at);
        }
        assertFalse(allowed.contains("admin"), at);
        assertEquals(world.allowed(user, active), allowed, "allowed roles: the realm's and the active organization's: " + at);
        String defaultRole = claims.path("x-hasura-default-role").asText();
        assertTrue(allowed.contains(defaultRole), at);
        for (Iterator<Map.Entry<String, JsonNode>> it = claims.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            assertTrue(e.getKey().equals("x-hasura-allowed-roles") || e.getValue().isTextual(), "Hasura wants strings: " + at);
        }
        for (String role : allowed) {
            assertNotNull(HasuraSession.fromAccessToken(session.access, role), "Hasura refuses role " + role + ": " + at);
        }
        JsonNode whoami = realm.graphql("{ whoami { hasura profile { role } } }", null, session.access);
        assertEquals(claims, whoami.at("/data/whoami/hasura"), "whoami's hasura is the token's: " + at + " -> " + whoami);
        assertEquals(defaultRole, whoami.at("/data/whoami/profile/role").asText(), "profile.role: " + at);
        Http.Response plain = webhookAs(realm, session.access, null, null, world.random.nextBoolean());
        assertEquals(200, plain.status(), at + " -> " + plain);
        assertEquals(variables(claims), answerVariables(plain.json()), "the webhook's variables are the token's: " + at);
        for (int i = 0; i < 3; i++) {
            webhook(realm, world, user, session, claims, at);
        }
        return 6;
    }

    /** A webhook call with a random organization header and role, checked against the model (memberships now). */
    private static void webhook(HasuraRealm realm, RandomTenancy world, User user, Session session, JsonNode claims, String where) {
        Org header = world.random.nextInt(3) == 0 ? null : world.pick(user);
        List<String> roles = new ArrayList<>(RandomTenancy.ROLES);
        roles.addAll(List.of("user", "manager", "admin"));
        String role = world.random.nextInt(5) == 0 ? null : roles.get(world.random.nextInt(roles.size()));
        Http.Response answer = webhookAs(realm, session.access, role, header == null ? null : header.id(), world.random.nextBoolean());
        String at = where + ", webhook org " + (header == null ? null : header.alias()) + " role " + role + " -> " + answer;
        if (header != null && !user.member(header.id())) {
            assertEquals(401, answer.status(), "not a member now: " + at);
            return;
        }
        String active = header != null ? header.id() : RandomTenancy.active(user, session.asked, session.remembered);
        Set<String> allowed = world.allowed(user, active);
        if (role != null && !allowed.contains(role)) {
            assertEquals(401, answer.status(), "role not allowed with " + active + " active: " + at);
            return;
        }
        assertEquals(200, answer.status(), at);
        JsonNode body = answer.json();
        String answered = body.path("X-Hasura-Role").asText();
        assertTrue(allowed.contains(answered) && !answered.equals("admin"), at);
        assertTrue(role == null || role.equals(answered), at);
        assertEquals(active, body.has("X-Hasura-Org-Id") ? body.get("X-Hasura-Org-Id").asText() : null, at);
        assertEquals(ids(RandomTenancy.idsLiteral(user)), ids(body.path("X-Hasura-Org-Ids").asText()), at);
    }
}
