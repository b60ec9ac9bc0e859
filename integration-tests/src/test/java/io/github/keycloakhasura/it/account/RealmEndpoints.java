package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.Http.params;

/**
 * Every place of a test realm that takes a token: the GraphQL endpoint (as a bearer caller, verifyToken, refreshToken),
 * the Hasura webhook, and Keycloak's own token endpoint (logins and refreshes at any client). {@link #refusals} answers
 * which of them still accept an access or refresh token.
 */
final class RealmEndpoints {

    static final String VERIFY = "mutation($t: String!) { verifyToken(token: $t) { payload } }";
    static final String REFRESH = "mutation($r: String!) { refreshToken(refreshToken: $r) { token refreshToken } }";
    static final String WHOAMI = "{ whoami { username } }";
    static final String LOGIN = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token refreshToken payload } }";
    /** An allowed client of the test server (allowed-clients names it) that keeps Keycloak's default optional scopes, offline_access among them. */
    static final String OFFLINE_CAPABLE_CLIENT = KeycloakExtension.ALLOWED_PRIORITY_CLIENT;

    private final String realmUrl;

    RealmEndpoints(KeycloakServer server, String realm) {
        this.realmUrl = server.baseUrl() + "/realms/" + realm;
    }

    /**
     * Creates {@link #OFFLINE_CAPABLE_CLIENT} in the realm (a public client with direct grants, a Hasura claims mapper and
     * the realm's default optional client scopes, offline_access included).
     */
    static void createOfflineCapableClient(EmailRealm realm) {
        realm.adminOk("POST", "/clients", Map.of("clientId", OFFLINE_CAPABLE_CLIENT, "publicClient", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false, "fullScopeAllowed", true,
                "protocolMappers", List.of(KeycloakAdmin.hasuraMapper("hasura-claims", Map.of()))));
    }

    Http.Response graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return Http.json("POST", realmUrl + "/graphql", body, bearer);
    }

    /** tokenAuth that must succeed. */
    JsonNode tokenAuth(String username, String password) {
        return data(graphql(LOGIN, Map.of("u", username, "p", password), null)).get("tokenAuth");
    }

    Http.Response webhook(String bearer) {
        return Http.send(HttpRequest.newBuilder(URI.create(realmUrl + "/hasura/webhook")).GET()
                .header("Authorization", "Bearer " + bearer));
    }

    /** Keycloak's own password grant (token endpoint, not the API); {@code scope} may be null. */
    Http.Response nativeLogin(String clientId, String username, String password, String scope) {
        Map<String, String> form = params("grant_type", "password", "client_id", clientId, "username", username, "password", password);
        if (scope != null) {
            form.put("scope", scope);
        }
        return Http.form(realmUrl + "/protocol/openid-connect/token", form, null);
    }

    /** Keycloak's own refresh grant at the client the token names ({@code azp}). */
    Http.Response nativeRefresh(String refreshToken) {
        String clientId = io.github.keycloakhasura.it.support.Jwt.payload(refreshToken).get("azp").asText();
        return Http.form(realmUrl + "/protocol/openid-connect/token",
                params("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken), null);
    }

    /** The endpoints that accept the access token (webhook, verifyToken, whoami); empty when none does. */
    List<String> accessAcceptedBy(String accessToken) {
        List<String> accepted = new ArrayList<>();
        if (webhook(accessToken).status() == 200) {
            accepted.add("webhook");
        }
        if (ok(graphql(VERIFY, Map.of("t", accessToken), null))) {
            accepted.add("verifyToken");
        }
        if (ok(graphql(WHOAMI, null, accessToken))) {
            accepted.add("whoami");
        }
        return accepted;
    }

    /** Where the refresh token still refreshes: the API's refreshToken, Keycloak's own token endpoint. */
    List<String> refreshAcceptedBy(String refreshToken) {
        List<String> accepted = new ArrayList<>();
        if (ok(graphql(REFRESH, Map.of("r", refreshToken), null))) {
            accepted.add("refreshToken");
        }
        if (nativeRefresh(refreshToken).status() == 200) {
            accepted.add("token endpoint");
        }
        return accepted;
    }

    static boolean ok(Http.Response r) {
        return r.status() == 200 && r.json().path("errors").isMissingNode() && r.json().has("data");
    }

    static JsonNode data(Http.Response r) {
        if (!ok(r)) {
            throw new AssertionError("expected data: " + r);
        }
        return r.json().get("data");
    }

    /** The code of the response's single error. */
    static String code(Http.Response r) {
        JsonNode errors = r.json().path("errors");
        if (errors.size() != 1) {
            throw new AssertionError("expected one error: " + r);
        }
        return errors.get(0).path("extensions").path("code").asText();
    }
}
