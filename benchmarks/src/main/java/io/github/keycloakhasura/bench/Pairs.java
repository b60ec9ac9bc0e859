package io.github.keycloakhasura.bench;

import io.github.keycloakhasura.bench.Pair.Sides;

import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** The pairs of the table: for each, the native endpoint's requests and the extension's, built against the realm. */
record Pairs(Options options, Load load, BenchRealm realm, String baseUrl, BenchReceivers receivers) {

    /** The pairs {@code --only} asks for, in table order. */
    List<Pair> all() {
        List<Pair> pairs = new ArrayList<>();
        if (options.wants("login")) {
            pairs.add(new Pair("login", "login", "password grant at `/token`", "`tokenAuth`", Pair.Kind.RATIO, 0.97, this::login));
        }
        if (options.wants("refresh")) {
            pairs.add(new Pair("refresh", "refresh", "refresh grant at `/token`", "`refreshToken`", Pair.Kind.RATIO, 0.95, this::refresh));
        }
        if (options.wants("verify")) {
            pairs.add(new Pair("verify", "verify", "`/token/introspect` (client auth)", "`verifyToken`", Pair.Kind.RATIO, 1.0, this::verify));
        }
        if (options.wants("mapper")) {
            Pair mapper = new Pair("mapper", "token issuance with vs. without the Hasura mapper",
                    "refresh grant, `hasura` scope without the Hasura mapper", "same, `hasura` scope with it", Pair.Kind.OVERHEAD, 0.02,
                    this::mapper);
            // Its 2 % target is below what one window resolves on a shared machine (single rounds move by ±5 %).
            mapper.roundsFactor = Pair.MAPPER_ROUNDS_FACTOR;
            pairs.add(mapper);
            // The same request on both sides, measured the same way: how far two identical sides drift apart on this
            // machine in one run, the yardstick for the mapper's few percent.
            Pair same = new Pair("same", "the same request on both sides (the run's noise floor)",
                    "refresh grant, `hasura` scope without the Hasura mapper", "the same", Pair.Kind.NONE, 0, this::sameRequest);
            same.roundsFactor = Pair.MAPPER_ROUNDS_FACTOR;
            pairs.add(same);
        }
        if (options.wants("switch") || options.wants("organizations")) {
            BenchOrganizations organizations = new BenchOrganizations(realm, baseUrl, options.concurrency);
            if (options.wants("switch")) {
                pairs.add(new Pair("switch", "`switchOrganization`", "refresh grant at `/token` with scope `organization:<alias>`",
                        "`switchOrganization`", Pair.Kind.RATIO, 0.95, organizations::switchOrganization));
            }
            if (options.wants("organizations")) {
                Pair issuance = new Pair("organizations", "token issuance with vs. without organizations (member of two)",
                        "refresh grant, Hasura mapper with organizations off", "same, organizations on", Pair.Kind.OVERHEAD, 0.05,
                        organizations::issuance);
                issuance.roundsFactor = Pair.MAPPER_ROUNDS_FACTOR;
                pairs.add(issuance);
            }
        }
        if (options.wants("claims-query")) {
            BenchClaimsQuery claimsQuery = new BenchClaimsQuery(realm, baseUrl, options.concurrency);
            Pair issuance = new Pair("claims-query", "token issuance with vs. without the claims query (warm cache)",
                    "refresh grant, Hasura mapper without a claims query", "same, with `hasura.claims-query` (cached values)",
                    Pair.Kind.OVERHEAD, 0.05, claimsQuery::issuance);
            issuance.roundsFactor = Pair.MAPPER_ROUNDS_FACTOR;
            pairs.add(issuance);
        }
        if (options.wants("whoami")) {
            pairs.add(new Pair("whoami", "`whoami`", "`/userinfo`", "`whoami`", Pair.Kind.RATIO, 1.0, this::whoami));
        }
        if (options.wants("webhook")) {
            pairs.add(new Pair("webhook", "Hasura auth webhook (called on every Hasura request in webhook mode)", "`/userinfo`",
                    "`GET /hasura/webhook`", Pair.Kind.RATIO, 1.0, this::webhook));
        }
        pairs.addAll(CredentialPairs.all(this));
        pairs.addAll(UserListPairs.all(this));
        return pairs;
    }

    private Sides login() {
        String query = "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
                + "{ token refreshToken payload refreshExpiresIn } }";
        List<List<HttpRequest>> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            List<HttpRequest> e = new ArrayList<>();
            for (int k = 0; k < BenchRealm.LOGIN_USERS_PER_WORKER; k++) {
                e.add(graphql(query, Map.of("u", BenchRealm.loginUser(w, k), "p", BenchRealm.PASSWORD), null));
            }
            ext.add(e);
        }
        return new Sides(passwordGrants(), Requests.rotating(ext, Requests::graphqlOk));
    }

    /**
     * The password grant at {@code /token}, the native side of every sign-in pair. Keycloak's brute-force protection
     * refuses a login while the previous one of the same user is still being accounted for (off the request thread):
     * each worker cycles through its own users.
     */
    Load.Scenario passwordGrants() {
        List<List<HttpRequest>> nat = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            List<HttpRequest> n = new ArrayList<>();
            for (int k = 0; k < BenchRealm.LOGIN_USERS_PER_WORKER; k++) {
                n.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "password", "client_id", KeycloakServer.CLIENT_ID,
                        "username", BenchRealm.loginUser(w, k), "password", BenchRealm.PASSWORD), null));
            }
            nat.add(n);
        }
        return Requests.rotating(nat, b -> b.contains("\"access_token\""));
    }

    private Sides refresh() {
        String query = "mutation ($t: String!) { refreshToken(refreshToken: $t) { token refreshToken payload refreshExpiresIn } }";
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            // The realm does not rotate refresh tokens (revokeRefreshToken=false): each worker reuses its own.
            String refresh = realm.login(KeycloakServer.REALM, KeycloakServer.CLIENT_ID, BenchRealm.worker(w), null).get("refresh_token").asText();
            nat.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "refresh_token", "client_id", KeycloakServer.CLIENT_ID,
                    "refresh_token", refresh), null));
            ext.add(graphql(query, Map.of("t", refresh), null));
        }
        return new Sides(Requests.side(nat, b -> b.contains("\"access_token\"")), Requests.side(ext, Requests::graphqlOk));
    }

    private Sides verify() {
        String query = "mutation ($t: String!) { verifyToken(token: $t) { payload } }";
        String basic = "Basic " + Base64.getEncoder().encodeToString((BenchRealm.INTROSPECTOR + ":" + realm.introspectorSecret())
                .getBytes(StandardCharsets.UTF_8));
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            // Tokens of a client whose audience mapper names the introspector (Keycloak 26 checks aud on introspection).
            String access = realm.login(KeycloakServer.REALM, BenchRealm.AUDIENCE_CLIENT, BenchRealm.worker(w), null).get("access_token").asText();
            nat.add(Requests.form(oidcUrl() + "/token/introspect", Map.of("token", access), basic));
            ext.add(graphql(query, Map.of("t", access), null));
        }
        return new Sides(Requests.side(nat, b -> b.contains("\"active\":true")), Requests.side(ext, Requests::graphqlOk));
    }

    private Sides mapper() {
        List<HttpRequest> without = new ArrayList<>();
        List<HttpRequest> with = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            String plain = realm.login(KeycloakServer.REALM, BenchRealm.WITHOUT_MAPPER, BenchRealm.worker(w), null).get("refresh_token").asText();
            String hasura = realm.login(KeycloakServer.REALM, BenchRealm.WITH_MAPPER, BenchRealm.worker(w), null).get("refresh_token").asText();
            without.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "refresh_token", "client_id", BenchRealm.WITHOUT_MAPPER,
                    "refresh_token", plain), null));
            with.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "refresh_token", "client_id", BenchRealm.WITH_MAPPER,
                    "refresh_token", hasura), null));
        }
        // Both sides must differ only in the claims.
        requireClaims(with.get(0), true);
        requireClaims(without.get(0), false);
        return new Sides(Requests.side(without, b -> b.contains("\"access_token\"")), Requests.side(with, b -> b.contains("\"access_token\"")));
    }

    /** The mapper pair's side without the mapper, on both sides. */
    private Sides sameRequest() {
        Sides mapper = mapper();
        return new Sides(mapper.nativeSide(), mapper.nativeSide());
    }

    private void requireClaims(HttpRequest refresh, boolean present) {
        HttpResponse<String> r = load.once(refresh);
        try {
            String access = Http.JSON.readTree(r.body()).get("access_token").asText();
            String payload = new String(Base64.getUrlDecoder().decode(access.split("\\.")[1]), StandardCharsets.UTF_8);
            if (payload.contains("https://hasura.io/jwt/claims") != present) {
                throw new IllegalStateException("Hasura claims " + (present ? "missing from" : "present in") + " " + payload);
            }
        } catch (IOException e) {
            throw new IllegalStateException(r.body(), e);
        }
    }

    private Sides whoami() {
        String query = "{ whoami { id username email firstName lastName emailVerified profile { role } hasura } }";
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            // userinfo needs the openid scope in the token.
            String access = realm.login(KeycloakServer.REALM, KeycloakServer.CLIENT_ID, BenchRealm.worker(w), "openid").get("access_token").asText();
            nat.add(Requests.get(oidcUrl() + "/userinfo", access));
            ext.add(graphql(query, null, access));
        }
        return new Sides(Requests.side(nat, b -> b.contains("\"sub\"")), Requests.side(ext, Requests::graphqlOk));
    }

    /** The same access token on both sides: what Keycloak answers about it vs. the session variables Hasura needs. */
    private Sides webhook() {
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < options.concurrency; w++) {
            // userinfo needs the openid scope in the token; the webhook accepts the same token.
            String access = realm.login(KeycloakServer.REALM, KeycloakServer.CLIENT_ID, BenchRealm.worker(w), "openid").get("access_token").asText();
            nat.add(Requests.get(oidcUrl() + "/userinfo", access));
            ext.add(Requests.get(baseUrl + "/realms/" + KeycloakServer.REALM + "/hasura/webhook", access));
        }
        return new Sides(Requests.side(nat, b -> b.contains("\"sub\"")), Requests.side(ext, b -> b.contains("\"X-Hasura-User-Id\"")));
    }

    private HttpRequest graphql(String query, Map<String, Object> variables, String bearer) {
        return Requests.graphql(graphqlUrl(), query, variables, bearer);
    }

    private String graphqlUrl() {
        return baseUrl + "/realms/" + KeycloakServer.REALM + "/graphql";
    }

    private String oidcUrl() {
        return baseUrl + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect";
    }
}
