package io.github.keycloakhasura.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

import static io.github.keycloakhasura.it.support.Http.params;

/** Keycloak's native OIDC endpoints, used as the reference the extension is compared with. */
public final class Tokens {

    private final String realmUrl;

    public Tokens(KeycloakServer server) {
        this.realmUrl = server.realmUrl();
    }

    /** The OIDC endpoints of another realm of the test server. */
    public Tokens(KeycloakServer server, String realm) {
        this.realmUrl = server.baseUrl() + "/realms/" + realm;
    }

    public String tokenUrl() {
        return realmUrl + "/protocol/openid-connect/token";
    }

    public Http.Response passwordGrant(String clientId, String username, String password, String scope) {
        Map<String, String> form = params("grant_type", "password", "client_id", clientId,
                "username", username, "password", password);
        if (scope != null) {
            form.put("scope", scope);
        }
        return Http.form(tokenUrl(), form, null);
    }

    /** Password grant that must succeed; returns the token response. */
    public JsonNode login(String clientId, String username, String password, String scope) {
        Http.Response r = passwordGrant(clientId, username, password, scope);
        if (r.status() != 200) {
            throw new AssertionError("password grant for " + username + " at " + clientId + " failed: " + r);
        }
        return r.json();
    }

    public Http.Response refresh(String clientId, String refreshToken) {
        return Http.form(tokenUrl(), params("grant_type", "refresh_token", "client_id", clientId,
                "refresh_token", refreshToken), null);
    }

    public Http.Response userinfo(String accessToken) {
        return Http.get(realmUrl + "/protocol/openid-connect/userinfo", accessToken);
    }

    public Http.Response introspect(String clientId, String secret, String token) {
        return Http.formBasic(realmUrl + "/protocol/openid-connect/token/introspect",
                params("token", token), clientId, secret);
    }

    /**
     * The token endpoint refused a user's grant (wrong password, locked or disabled user): {@code invalid_grant}, sent
     * with 400 since Keycloak 26.6 (as RFC 6749 says) and with 401 by 26.4 and 26.5.
     */
    public static void assertInvalidGrant(Http.Response r, String message) {
        org.junit.jupiter.api.Assertions.assertTrue(r.status() == 400 || r.status() == 401, message + ": " + r);
        org.junit.jupiter.api.Assertions.assertEquals("invalid_grant", r.json().path("error").asText(), message + ": " + r);
    }
}
