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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deleteAccount: only where Keycloak's own delete-account action would allow it, after the password. */
@ExtendWith(KeycloakExtension.class)
class GraphqlAccountDeletionIT {

    static final String PASSWORD = "Account-delete-pass-1";
    static final String DELETE = "mutation($p: String!) { deleteAccount(password: $p) { success } }";
    static final String ACTION = "/authentication/required-actions/delete_account";

    static KeycloakAdmin admin;
    static AccountCalls calls;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        calls = new AccountCalls(new GraphqlClient(keycloak), admin);
    }

    static int users(String username) {
        return admin.call("GET", "/users?exact=true&username=" + username, null).json().size();
    }

    @Test
    void forbiddenWhileTheRealmDoesNotLetUsersDeleteThemselves() {
        String username = admin.newUser("acct-del-off", PASSWORD);
        String id = calls.userId(username);
        admin.addClientRoles(id, admin.clientUuid("account"), "delete-account");
        JsonNode action = admin.call("GET", ACTION, null).json();
        assertTrue(!action.get("enabled").asBoolean(), "the realm's delete_account action is off by default: " + action);
        error(calls.as(calls.token(username, PASSWORD), DELETE, vars("p", PASSWORD)), "FORBIDDEN");
        Hostile.sleep(1200);
        assertEquals(0, Hostile.bruteForce(admin, id).get("numFailures").asInt(), "no password was checked");
        assertEquals(1, users(username));
    }

    @Test
    void withTheActionOnTheRoleIsNeededThenThePasswordThenTheAccountIsGone() {
        JsonNode before = admin.call("GET", ACTION, null).json();
        Map<String, Object> enabled = Http.JSON.convertValue(before, Map.class);
        enabled.put("enabled", true);
        assertEquals(204, admin.call("PUT", ACTION, enabled).status());
        try {
            String withoutRole = admin.newUser("acct-del-norole", PASSWORD);
            error(calls.as(calls.token(withoutRole, PASSWORD), DELETE, vars("p", PASSWORD)), "FORBIDDEN");
            assertEquals(1, users(withoutRole));

            String username = admin.newUser("acct-del", PASSWORD);
            String id = calls.userId(username);
            admin.addClientRoles(id, admin.clientUuid("account"), "delete-account");
            String token = calls.token(username, PASSWORD);
            error(calls.as(token, DELETE, vars("p", "not-the-password")), "UNAUTHENTICATED");
            assertEquals(1, Hostile.awaitFailures(admin, id, 1), "a wrong password is a failed login");
            assertEquals(1, users(username));
            Hostile.sleep(1200);
            List<String> events = calls.withEvents(() -> {
                assertTrue(data(calls.as(token, DELETE, vars("p", PASSWORD))).get("deleteAccount").get("success").asBoolean());
                return calls.eventTypes(id);
            });
            assertTrue(events.contains("DELETE_ACCOUNT"), events.toString());
            assertEquals(0, users(username));
            error(calls.as(token, AccountCalls.WHOAMI, null), "UNAUTHENTICATED");
        } finally {
            admin.call("PUT", ACTION, Http.JSON.convertValue(before, Map.class));
        }
    }
}
