package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.graphql.Hostile.vars;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** updateAccount: Keycloak's user profile in the ACCOUNT context decides what users may change of themselves. */
@ExtendWith(KeycloakExtension.class)
class GraphqlAccountProfileIT {

    static final String PASSWORD = "Account-profile-pass-1";
    static final String UPDATE = "mutation($f: String, $l: String, $e: String, $a: JSON) { updateAccount(firstName: $f, "
            + "lastName: $l, email: $e, attributes: $a) { user { username firstName lastName email emailVerified } } }";
    static final String UPDATE_EMAIL = "mutation($e: String, $p: String) { updateAccount(email: $e, password: $p) "
            + "{ user { email } emailPending } }";
    static final String CLAIMS = "https://hasura.io/jwt/claims";

    static KeycloakAdmin admin;
    static AccountCalls calls;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        calls = new AccountCalls(new GraphqlClient(keycloak), admin);
    }

    @Test
    void namesChangeWithAnUpdateProfileEvent() {
        String username = admin.newUser("acct-prof", PASSWORD);
        String id = calls.userId(username);
        String token = calls.token(username, PASSWORD);
        List<String> events = calls.withEvents(() -> {
            JsonNode user = data(calls.as(token, UPDATE, vars("f", "Ada", "l", "Lovelace"))).get("updateAccount").get("user");
            assertEquals("Ada", user.get("firstName").asText());
            assertEquals("Lovelace", user.get("lastName").asText());
            return calls.eventTypes(id);
        });
        assertTrue(events.contains("UPDATE_PROFILE"), events.toString());
        assertEquals("Ada", admin.user(id).get("firstName").asText());
        assertEquals(username + "@example.test", admin.user(id).get("email").asText(), "untouched");
        error(calls.as(null, UPDATE, vars("f", "X")), "UNAUTHENTICATED");
    }

    @Test
    void theHasuraDefaultRoleAttributeIsOutOfReach() {
        String username = unique("acct-prof-role");
        String id = admin.createUser(username, PASSWORD, Map.of("hasura_default_role", List.of("user")));
        admin.addRealmRoles(id, "manager");
        String token = calls.token(username, PASSWORD);
        assertEquals("user", calls.tokens(username, PASSWORD).get("payload").get(CLAIMS).get("x-hasura-default-role").asText());

        Http.Response attempt = calls.as(token, UPDATE, vars("a", Map.of("hasura_default_role", "manager")));
        JsonNode refused = error(attempt, "BAD_USER_INPUT");
        assertTrue(refused.get("message").asText().contains("hasura_default_role"), attempt.body());
        assertEquals("hasura_default_role", refused.get("extensions").get("fields").get(0).get("field").asText(), attempt.body());
        assertEquals(List.of("user"), attribute(id, "hasura_default_role"), attempt.body());
        // An ordinary change keeps the admin's attribute, and tokens keep the admin's choice.
        data(calls.as(token, UPDATE, vars("f", "Grace")));
        assertEquals(List.of("user"), attribute(id, "hasura_default_role"));
        assertEquals("user", calls.tokens(username, PASSWORD).get("payload").get(CLAIMS).get("x-hasura-default-role").asText());
        // Attributes must be strings or lists of strings; username and email go their own ways.
        error(calls.as(token, UPDATE, vars("a", Map.of("nickname", 5))), "BAD_USER_INPUT");
        error(calls.as(token, UPDATE, vars("a", Map.of("username", "someone-else"))), "BAD_USER_INPUT");
        assertEquals(username, admin.user(id).get("username").asText());
    }

    @Test
    void anEmailNeverChangesInPlaceEvenWithThePassword() {
        // The shared realm has no SMTP server: without the confirmation link to the new address there is no change.
        String username = admin.newUser("acct-mail", PASSWORD);
        String id = calls.userId(username);
        String token = calls.token(username, PASSWORD);
        String changed = unique("changed") + "@example.test";
        JsonNode refused = error(calls.as(token, UPDATE_EMAIL, vars("e", changed, "p", PASSWORD)), "FORBIDDEN");
        assertTrue(refused.get("message").asText().contains("SMTP"), refused.toString());
        assertEquals(username + "@example.test", admin.user(id).get("email").asText());
        // The same address again is no change, so it needs nothing.
        data(calls.as(token, UPDATE_EMAIL, vars("e", username + "@example.test")));
    }

    @Test
    void attributesTheProfileWouldDropAreRefusedByNameAndNothingChanges() {
        String username = admin.newUser("acct-prof-drop", PASSWORD);
        String id = calls.userId(username);
        String token = calls.token(username, PASSWORD);
        String name = "nickname" + Integer.toHexString(username.hashCode() & 0xfff);
        // The realm's unmanaged-attribute policy is ADMIN_EDIT: users may not set one; it used to be dropped silently.
        JsonNode refused = error(calls.as(token, UPDATE, vars("f", "Changed", "a", Map.of(name, "Nick"))), "BAD_USER_INPUT");
        assertTrue(refused.get("message").asText().contains(name), refused.toString());
        assertEquals(name, refused.get("extensions").get("fields").get(0).get("field").asText(), refused.toString());
        assertEquals(List.of(), attribute(id, name));
        assertFalse("Changed".equals(admin.user(id).path("firstName").asText()), "the whole update was refused");
    }

    @Test
    void attributesAHasuraMapperReadsStayOutOfReachWhateverTheUserProfileSays() {
        String attribute = "org_" + Integer.toHexString(unique("o").hashCode() & 0xffff);
        String client = unique("it-org-mapper");
        // Any Hasura claims mapper of the realm counts, on any client: this one turns the attribute into x-hasura-org-id.
        String clientUuid = admin.createClientWithHasuraMapper(client,
                Map.of("hasura.session-variables", attribute + ":x-hasura-org-id"), Map.of());
        String username = unique("acct-prof-org");
        String id = admin.createUser(username, PASSWORD, Map.of(attribute, List.of("org-1")));
        String token = calls.token(username, PASSWORD);
        JsonNode profile = admin.call("GET", "/users/profile", null).json();
        try {
            // The realm lets users edit every unmanaged attribute (the live finding: org_id moved from org-1 to org-2).
            JsonNode enabled = profile.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) enabled).put("unmanagedAttributePolicy", "ENABLED");
            assertEquals(200, admin.call("PUT", "/users/profile", enabled).status());

            JsonNode refused = error(calls.as(token, UPDATE, vars("a", Map.of(attribute, "org-2"))), "BAD_USER_INPUT");
            assertTrue(refused.get("message").asText().contains(attribute), refused.toString());
            assertEquals(List.of("org-1"), attribute(id, attribute));
            // Not the policy's doing: an unmanaged attribute no mapper reads is the user's to edit here.
            String free = "hobby_" + Integer.toHexString(username.hashCode() & 0xffff);
            data(calls.as(token, UPDATE, vars("a", Map.of(free, "chess"))));
            assertEquals(List.of("chess"), attribute(id, free));
        } finally {
            assertEquals(200, admin.call("PUT", "/users/profile", profile).status(), "user profile restored");
            admin.call("DELETE", "/clients/" + clientUuid, null);
        }
    }

    @Test
    void aLoginThatCompletesTheProfileCannotSetAnAttributeAHasuraMapperReads() {
        String attribute = "team_" + Integer.toHexString(unique("t").hashCode() & 0xffff);
        String clientUuid = admin.createClientWithHasuraMapper(unique("it-team-mapper"),
                Map.of("hasura.session-variables", attribute + ":x-hasura-team-id"), Map.of());
        String username = unique("acct-prof-login");
        String id = admin.createUser(username, PASSWORD, Map.of(attribute, List.of("team-1")));
        admin.updateUser(id, Map.of("requiredActions", List.of("UPDATE_PROFILE")));
        JsonNode profile = admin.call("GET", "/users/profile", null).json();
        String login = "mutation($u: String!, $p: String!, $profile: JSON) { tokenAuth(username: $u, password: $p, "
                + "profile: $profile) { token } }";
        try {
            JsonNode enabled = profile.deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) enabled).put("unmanagedAttributePolicy", "ENABLED");
            assertEquals(200, admin.call("PUT", "/users/profile", enabled).status());
            // tokenAuth(profile:) completes UPDATE_PROFILE: the same guard as updateAccount's, before anything changes.
            JsonNode refused = error(calls.as(null, login, vars("u", username, "p", PASSWORD,
                    "profile", Map.of("firstName", "Ada", "lastName", "Lovelace", attribute, "team-2"))), "BAD_USER_INPUT");
            assertTrue(refused.get("message").asText().contains(attribute), refused.toString());
            assertEquals(List.of("team-1"), attribute(id, attribute));
            // The profile itself completes the login when it leaves the attribute alone.
            data(calls.as(null, login, vars("u", username, "p", PASSWORD,
                    "profile", Map.of("firstName", "Ada", "lastName", "Lovelace", attribute, "team-1"))));
            assertEquals("Ada", admin.user(id).path("firstName").asText());
        } finally {
            assertEquals(200, admin.call("PUT", "/users/profile", profile).status(), "user profile restored");
            admin.call("DELETE", "/clients/" + clientUuid, null);
        }
    }

    private static List<String> attribute(String id, String name) {
        JsonNode values = admin.user(id).path("attributes").path(name);
        return values.isMissingNode() ? List.of() : Http.JSON.convertValue(values, List.class);
    }
}
