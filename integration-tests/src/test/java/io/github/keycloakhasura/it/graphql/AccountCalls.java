package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the account ITs share: the documents, logins, realm settings changed and restored, Keycloak's event log. */
final class AccountCalls {

    static final String LOGIN = "mutation($u: String!, $p: String!, $otp: String, $np: String) { tokenAuth(username: $u, "
            + "password: $p, otp: $otp, newPassword: $np) { token refreshToken payload } }";
    static final String TOTP_SETUP = "mutation { totpSetup { secret uri } }";
    static final String TOTP_CONFIRM = "mutation($c: String!, $l: String) { totpConfirm(code: $c, label: $l) { success } }";
    static final String WHOAMI = "{ whoami { username } }";

    private final GraphqlClient graphql;
    private final KeycloakAdmin admin;

    AccountCalls(GraphqlClient graphql, KeycloakAdmin admin) {
        this.graphql = graphql;
        this.admin = admin;
    }

    Http.Response login(String username, String password, String otp, String newPassword) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("u", username);
        vars.put("p", password);
        vars.put("otp", otp);
        vars.put("np", newPassword);
        return graphql.post(LOGIN, vars, null);
    }

    /** tokenAuth that must succeed: the access token. */
    String token(String username, String password) {
        return GraphqlClient.data(login(username, password, null, null)).get("tokenAuth").get("token").asText();
    }

    JsonNode tokens(String username, String password) {
        return GraphqlClient.data(login(username, password, null, null)).get("tokenAuth");
    }

    Http.Response as(String bearer, String query, Map<String, Object> variables) {
        return graphql.post(query, variables, bearer);
    }

    /** totpSetup and totpConfirm for the bearer's user: the base32 secret. */
    String enableTotp(String bearer) {
        JsonNode setup = GraphqlClient.data(as(bearer, TOTP_SETUP, null)).get("totpSetup");
        String secret = setup.get("secret").asText();
        TotpCodes.awayFromStepEdge(30, 3);
        GraphqlClient.data(as(bearer, TOTP_CONFIRM, Hostile.vars("c", TotpCodes.code(secret, 0))));
        return secret;
    }

    String userId(String username) {
        return Hostile.userId(admin, username);
    }

    JsonNode user(String username) {
        return admin.user(userId(username));
    }

    /** Runs {@code test} with the realm representation changed by {@code changes}, then puts the old values back. */
    <T> T withRealm(Map<String, Object> changes, Supplier<T> test) {
        JsonNode realm = admin.realm();
        Map<String, Object> before = new HashMap<>();
        changes.keySet().forEach(key -> before.put(key, realm.has(key) ? Http.JSON.convertValue(realm.get(key), Object.class) : null));
        admin.call("PUT", "", changes);
        try {
            return test.get();
        } finally {
            assertEquals(204, admin.call("PUT", "", before).status(), "realm settings restored");
        }
    }

    /** Runs {@code test} with events saved, then restores the realm's event settings; returns the test's value. */
    <T> T withEvents(Supplier<T> test) {
        JsonNode before = admin.call("GET", "/events/config", null).json();
        admin.call("PUT", "/events/config", Map.of("eventsEnabled", true, "enabledEventTypes", List.of()));
        try {
            return test.get();
        } finally {
            admin.call("PUT", "/events/config", before);
        }
    }

    /** The types of the user's saved events (newest first, as Keycloak lists them). */
    List<String> eventTypes(String userId) {
        JsonNode events = admin.call("GET", "/events?user=" + userId + "&max=100", null).json();
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        return types;
    }
}
