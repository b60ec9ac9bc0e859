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
        Hostile.clean(attempt, "unmanaged attribute");
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
    void aNewEmailIsValidatedUniqueAndVerifiedWhenTheRealmVerifiesEmails() {
        String username = admin.newUser("acct-mail", PASSWORD);
        String id = calls.userId(username);
        String token = calls.token(username, PASSWORD);
        String other = admin.newUser("acct-mail-other", PASSWORD);
        error(calls.as(token, UPDATE, vars("e", "not-an-email")), "BAD_USER_INPUT");
        error(calls.as(token, UPDATE, vars("e", other + "@example.test")), "BAD_USER_INPUT");
        assertEquals(username + "@example.test", admin.user(id).get("email").asText());

        String changed = unique("changed") + "@example.test";
        List<String> events = calls.withEvents(() -> {
            data(calls.as(token, UPDATE, vars("e", changed)));
            return calls.eventTypes(id);
        });
        assertTrue(events.contains("UPDATE_EMAIL"), events.toString());
        assertEquals(changed, admin.user(id).get("email").asText());

        String verified = unique("verified") + "@example.test";
        calls.withRealm(Map.of("verifyEmail", true), () -> {
            JsonNode user = data(calls.as(token, UPDATE, vars("e", verified))).get("updateAccount").get("user");
            assertFalse(user.get("emailVerified").asBoolean());
            assertTrue(admin.user(id).get("requiredActions").toString().contains("VERIFY_EMAIL"), admin.user(id).toString());
            JsonNode pending = error(calls.login(username, PASSWORD, null, null), "ACTION_REQUIRED");
            assertEquals("[\"VERIFY_EMAIL\"]", pending.get("extensions").get("requiredActions").toString());
            return null;
        });
        assertEquals(verified, admin.user(id).get("email").asText());
    }

    private static List<String> attribute(String id, String name) {
        JsonNode values = admin.user(id).path("attributes").path(name);
        return values.isMissingNode() ? List.of() : Http.JSON.convertValue(values, List.class);
    }
}
