package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.bench.Pair.Sides;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The organization pairs: {@code switchOrganization} against Keycloak's refresh grant narrowed to
 * {@code organization:<alias>} (the same scope string on both sides), and token issuance with the Hasura mapper's
 * organizations on against off (the same refresh grant, clients whose {@code hasura} scopes differ in that option only).
 * Their users ({@code bench-org-<w>}) are members of two organizations, created after start; the other pairs' users
 * are in none, so the other pairs are unchanged.
 */
final class BenchOrganizations {

    static final String WITHOUT_ORGANIZATIONS = "bench-hasura-noorg";
    private static final String SCOPE_WITHOUT_ORGANIZATIONS = "hasura-without-organizations";
    private static final String ALL = "organization:*";

    private final BenchRealm realm;
    private final String baseUrl;
    private final int workers;
    private String target;
    private boolean ready;

    BenchOrganizations(BenchRealm realm, String baseUrl, int workers) {
        this.realm = realm;
        this.baseUrl = baseUrl;
        this.workers = workers;
    }

    static String user(int w) {
        return "bench-org-" + w;
    }

    /** Two organizations with every worker's user, and the client without organizations; once. */
    private void setUp() {
        if (ready) {
            return;
        }
        KeycloakAdmin admin = realm.admin();
        List<String> orgs = new ArrayList<>();
        for (String alias : List.of("bench-org-a", "bench-org-b")) {
            Http.Response r = BenchRealm.ok(admin.call("POST", "/organizations", Map.of("name", alias, "alias", alias)));
            String location = r.header("Location");
            orgs.add(location.substring(location.lastIndexOf('/') + 1));
        }
        target = "bench-org-b";
        for (int w = 0; w < workers; w++) {
            String id = admin.createUser(user(w), BenchRealm.PASSWORD, null);
            for (String org : orgs) {
                BenchRealm.ok(admin.call("POST", "/organizations/" + org + "/members", id));
            }
        }
        List<String> scopes = new ArrayList<>();
        admin.call("GET", "/clients/" + admin.clientUuid(BenchRealm.WITH_MAPPER) + "/default-client-scopes", null)
                .json().forEach(scope -> scopes.add(scope.get("name").asText()));
        createScopeWithoutOrganizations(admin);
        realm.createPublicClient(WITHOUT_ORGANIZATIONS,
                scopes.stream().map(s -> s.equals("hasura") ? SCOPE_WITHOUT_ORGANIZATIONS : s).toList(), List.of());
        ready = true;
    }

    /** The realm's {@code hasura} client scope with the Hasura mapper's organizations off. */
    private static void createScopeWithoutOrganizations(KeycloakAdmin admin) {
        String id = null;
        for (JsonNode scope : admin.call("GET", "/client-scopes", null).json()) {
            if ("hasura".equals(scope.get("name").asText())) {
                id = scope.get("id").asText();
            }
        }
        ObjectNode copy = (ObjectNode) admin.call("GET", "/client-scopes/" + id, null).json();
        copy.remove("id");
        copy.put("name", SCOPE_WITHOUT_ORGANIZATIONS);
        for (JsonNode mapper : (ArrayNode) copy.path("protocolMappers")) {
            ((ObjectNode) mapper).remove("id");
            if ("hasura-claims-mapper".equals(mapper.path("protocolMapper").asText())) {
                ((ObjectNode) mapper.get("config")).put("hasura.organizations", "false");
            }
        }
        BenchRealm.ok(admin.call("POST", "/client-scopes", copy));
    }

    /** Native: the refresh grant with the narrowed scope; extension: switchOrganization. Same refresh token. */
    Sides switchOrganization() {
        setUp();
        String query = "mutation ($t: String!, $o: String!) { switchOrganization(refreshToken: $t, organization: $o) "
                + "{ token refreshToken payload refreshExpiresIn } }";
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String refresh = realm.login(KeycloakServer.REALM, KeycloakServer.CLIENT_ID, user(w), ALL).get("refresh_token").asText();
            String narrowed = String.join(" ", scope(refresh).stream()
                    .map(s -> s.equals(ALL) ? "organization:" + target : s).toList());
            nat.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "refresh_token", "client_id", KeycloakServer.CLIENT_ID,
                    "refresh_token", refresh, "scope", narrowed), null));
            ext.add(Requests.graphql(baseUrl + "/realms/" + KeycloakServer.REALM + "/graphql", query,
                    Map.of("t", refresh, "o", target), null));
        }
        return new Sides(Requests.side(nat, b -> b.contains("\"access_token\"")), Requests.side(ext, Requests::graphqlOk));
    }

    /** The same refresh grant of a member of two organizations, the Hasura mapper's organizations off vs. on. */
    Sides issuance() {
        setUp();
        List<HttpRequest> off = new ArrayList<>();
        List<HttpRequest> on = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String without = realm.login(KeycloakServer.REALM, WITHOUT_ORGANIZATIONS, user(w), null).get("refresh_token").asText();
            String with = realm.login(KeycloakServer.REALM, BenchRealm.WITH_MAPPER, user(w), null).get("refresh_token").asText();
            off.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "refresh_token", "client_id", WITHOUT_ORGANIZATIONS,
                    "refresh_token", without), null));
            on.add(Requests.form(oidcUrl() + "/token", Map.of("grant_type", "refresh_token", "client_id", BenchRealm.WITH_MAPPER,
                    "refresh_token", with), null));
        }
        return new Sides(Requests.side(off, b -> b.contains("\"access_token\"") && !b.isEmpty()),
                Requests.side(on, b -> b.contains("\"access_token\"")));
    }

    private static List<String> scope(String jwt) {
        try {
            JsonNode payload = Http.JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
            return List.of(payload.path("scope").asText().trim().split("\\s+"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String oidcUrl() {
        return baseUrl + "/realms/" + KeycloakServer.REALM + "/protocol/openid-connect";
    }
}
