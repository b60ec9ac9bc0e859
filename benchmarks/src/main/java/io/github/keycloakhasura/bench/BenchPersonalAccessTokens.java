package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.bench.Pair.Sides;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The personal access token pairs: a PAT as the webhook's bearer against an access token at Keycloak's
 * {@code /userinfo}, and {@code tokenAuthWithPersonalAccessToken} against the refresh grant. Users
 * {@code bench-pat-<w>}, created after start, each with one PAT made as an app makes it: {@code tokenAuth},
 * {@code elevate} with the password, then {@code createPersonalAccessToken} with the elevated token.
 */
final class BenchPersonalAccessTokens {

    private static final String LOGIN = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { refreshToken } }";
    private static final String ELEVATE = "mutation($r: String!, $p: String) { elevate(refreshToken: $r, password: $p) { token } }";
    private static final String CREATE = "mutation($n: String!, $d: Int!) { createPersonalAccessToken(name: $n, expiresInDays: $d) "
            + "{ token } }";
    private static final String PAT_LOGIN = "mutation($t: String!) { tokenAuthWithPersonalAccessToken(token: $t) { token payload } }";

    private final BenchRealm realm;
    private final String baseUrl;
    private final int workers;
    private List<String> tokens;

    BenchPersonalAccessTokens(BenchRealm realm, String baseUrl, int workers) {
        this.realm = realm;
        this.baseUrl = baseUrl;
        this.workers = workers;
    }

    static String user(int w) {
        return "bench-pat-" + w;
    }

    /** A user and a PAT per worker; once. */
    private void setUp() {
        if (tokens != null) {
            return;
        }
        List<String> made = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            realm.admin().createUser(user(w), BenchRealm.PASSWORD, null);
            String username = user(w);
            String refresh = Logins.retrying(() -> Requests.data(graphql(LOGIN, Map.of("u", username, "p", BenchRealm.PASSWORD), null)))
                    .at("/tokenAuth/refreshToken").asText();
            String elevated = Logins.retrying(() -> Requests.data(graphql(ELEVATE, Map.of("r", refresh, "p", BenchRealm.PASSWORD), null)))
                    .at("/elevate/token").asText();
            String pat = Requests.data(graphql(CREATE, Map.of("n", "bench", "d", 30), elevated)).at("/createPersonalAccessToken/token").asText();
            if (!pat.startsWith("kcpat.")) {
                throw new IllegalStateException("not a personal access token: " + pat);
            }
            made.add(pat);
        }
        tokens = made;
    }

    /** Native: {@code /userinfo} with an access token (scope openid); extension: the webhook with the user's PAT. */
    Sides webhook() {
        setUp();
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String access = login(w, "openid").get("access_token").asText();
            nat.add(Requests.get(oidcUrl() + "/userinfo", access));
            ext.add(Requests.get(baseUrl + "/realms/" + KeycloakServer.REALM + "/hasura/webhook", tokens.get(w)));
        }
        return new Sides(Requests.side(nat, b -> b.contains("\"sub\"")), Requests.side(ext, b -> b.contains("\"X-Hasura-User-Id\"")));
    }

    /** Native: the refresh grant at {@code /token}; extension: tokenAuthWithPersonalAccessToken. The same user. */
    Sides tokenAuth() {
        setUp();
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String refresh = login(w, null).get("refresh_token").asText();
            nat.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "refresh_token", "client_id", KeycloakServer.CLIENT_ID,
                    "refresh_token", refresh), null));
            ext.add(Requests.graphql(baseUrl + "/realms/" + KeycloakServer.REALM + "/graphql", PAT_LOGIN, Map.of("t", tokens.get(w)), null));
        }
        return new Sides(Requests.side(nat, b -> b.contains("\"access_token\"")), Requests.side(ext, Requests::graphqlOk));
    }

    private JsonNode login(int w, String scope) {
        return Logins.retrying(realm, KeycloakServer.REALM, KeycloakServer.CLIENT_ID, user(w), scope);
    }

    private Http.Response graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        return Http.json("POST", baseUrl + "/realms/" + KeycloakServer.REALM + "/graphql", body, bearer);
    }


    private String oidcUrl() {
        return baseUrl + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect";
    }
}
