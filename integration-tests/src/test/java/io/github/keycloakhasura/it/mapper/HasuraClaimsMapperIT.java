package io.github.keycloakhasura.it.mapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Hasura claims mapper, seen through Keycloak's native OIDC endpoints on the real server. */
@ExtendWith(KeycloakExtension.class)
class HasuraClaimsMapperIT {

    private static final String NS = "https://hasura.io/jwt/claims";
    private static final String PASSWORD = "Secret-pass-123";

    private static KeycloakServer server;
    private static KeycloakAdmin admin;
    private static Tokens tokens;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
    }

    private static JsonNode claims(String token) {
        JsonNode claims = Jwt.payload(token).get(NS);
        assertNotNull(claims, "no Hasura claims in " + Jwt.payload(token));
        return claims;
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    private static String newUser(Map<String, List<String>> attributes, String... roles) {
        String username = unique("user");
        String id = admin.createUser(username, PASSWORD, attributes);
        if (roles.length > 0) {
            admin.addRealmRoles(id, roles);
        }
        return username;
    }

    @Test
    void plainUserGetsOnlyUserRoleAndUserIdEqualsSub() {
        String username = newUser(null);
        JsonNode response = tokens.login("hasura-app", username, PASSWORD, null);
        String access = response.get("access_token").asText();
        JsonNode claims = claims(access);

        assertEquals(List.of("user"), strings(claims.get("x-hasura-allowed-roles")));
        assertEquals("user", claims.get("x-hasura-default-role").asText());
        assertEquals(Jwt.payload(access).get("sub").asText(), claims.get("x-hasura-user-id").asText());
        String all = claims.toString();
        assertFalse(all.contains("offline_access") || all.contains("uma_authorization") || all.contains("default-roles"), all);
        // Every value except the allowed roles is a string, as Hasura requires.
        claims.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("x-hasura-allowed-roles")) {
                assertTrue(e.getValue().isTextual(), e.getKey() + " is not a string: " + e.getValue());
            }
        });
    }

    @Test
    void realmExportGivesFiveMinuteAccessTokensAndSevenDayRefreshTokens() {
        JsonNode response = tokens.login("hasura-app", newUser(null), PASSWORD, null);
        JsonNode payload = Jwt.payload(response.get("access_token").asText());
        assertEquals(300, payload.get("exp").asLong() - payload.get("iat").asLong());
        // "seconds from now", computed by Keycloak a moment after iat: allow the second boundary to pass.
        int expiresIn = response.get("expires_in").asInt();
        assertTrue(expiresIn == 300 || expiresIn == 299, "expires_in " + expiresIn);
        int refreshExpiresIn = response.get("refresh_expires_in").asInt();
        assertTrue(refreshExpiresIn <= 7 * 24 * 3600 && refreshExpiresIn >= 7 * 24 * 3600 - 1, "refresh_expires_in " + refreshExpiresIn);
        assertEquals(server.issuer(), payload.get("iss").asText());
    }

    @Test
    void managerGetsBothRolesWithManagerAsDefault() {
        String username = newUser(null, "manager");
        JsonNode claims = claims(tokens.login("hasura-app", username, PASSWORD, null).get("access_token").asText());
        assertEquals(List.of("manager", "user"), strings(claims.get("x-hasura-allowed-roles")));
        assertEquals("manager", claims.get("x-hasura-default-role").asText());
    }

    @Test
    void compositeRolesAreExpanded() {
        String senior = unique("senior");
        admin.createRealmRole(senior, "manager");
        String username = newUser(null, senior);
        JsonNode claims = claims(tokens.login("hasura-app", username, PASSWORD, null).get("access_token").asText());
        // manager comes from the composite; the composite itself is not in the export's allow-list (user,manager).
        assertEquals(List.of("manager", "user"), strings(claims.get("x-hasura-allowed-roles")));
        assertEquals("manager", claims.get("x-hasura-default-role").asText());
    }

    @Test
    void defaultRoleAttributeOverridesPriorityOnlyWithAnAllowedRole() {
        String chosen = newUser(Map.of("hasura_default_role", List.of("user")), "manager");
        JsonNode claims = claims(tokens.login("hasura-app", chosen, PASSWORD, null).get("access_token").asText());
        assertEquals("user", claims.get("x-hasura-default-role").asText());
        assertEquals(List.of("manager", "user"), strings(claims.get("x-hasura-allowed-roles")));

        String bogus = newUser(Map.of("hasura_default_role", List.of("admin")));
        JsonNode bogusClaims = claims(tokens.login("hasura-app", bogus, PASSWORD, null).get("access_token").asText());
        assertEquals("user", bogusClaims.get("x-hasura-default-role").asText());
        assertEquals(List.of("user"), strings(bogusClaims.get("x-hasura-allowed-roles")));
    }

    @Test
    void refreshGrantRecomputesClaimsFromCurrentRoles() {
        String username = unique("user");
        String id = admin.createUser(username, PASSWORD, null);
        JsonNode first = tokens.login("hasura-app", username, PASSWORD, null);
        assertEquals(List.of("user"), strings(claims(first.get("access_token").asText()).get("x-hasura-allowed-roles")));

        admin.addRealmRoles(id, "manager");
        Http.Response refreshed = tokens.refresh("hasura-app", first.get("refresh_token").asText());
        assertEquals(200, refreshed.status(), refreshed.toString());
        JsonNode claims = claims(refreshed.json().get("access_token").asText());
        assertEquals(List.of("manager", "user"), strings(claims.get("x-hasura-allowed-roles")));
        assertEquals("manager", claims.get("x-hasura-default-role").asText());
        assertEquals(id, claims.get("x-hasura-user-id").asText());
    }

    @Test
    void attributesAndGroupsBecomeStringSessionVariables() {
        String clientId = unique("it-vars");
        admin.createClientWithHasuraMapper(clientId, Map.of(
                "hasura.session-variables", "org_id:org-id, teams",
                "hasura.groups.variable", "groups",
                "hasura.roles.priority", "manager,user"), null);
        String staff = admin.createGroup(unique("staff"));
        String sales = admin.createSubGroup(staff, "sales");
        String username = unique("user");
        String id = admin.createUser(username, PASSWORD, Map.of("org_id", List.of("7"), "teams", List.of("red", "blue team")));
        admin.joinGroup(id, sales);

        JsonNode claims = claims(tokens.login(clientId, username, PASSWORD, null).get("access_token").asText());
        assertEquals("7", claims.get("x-hasura-org-id").asText());
        String teams = claims.get("x-hasura-teams").asText();
        assertTrue(teams.equals("{red,\"blue team\"}") || teams.equals("{\"blue team\",red}"), teams);
        String staffName = admin.call("GET", "/groups/" + staff, null).json().get("name").asText();
        assertEquals("{/" + staffName + "/sales}", claims.get("x-hasura-groups").asText());
    }

    @Test
    void stringifiedJsonFormatWritesTheClaimsAsAJsonString() throws Exception {
        String clientId = unique("it-stringified");
        admin.createClientWithHasuraMapper(clientId, Map.of("hasura.claims.format", "stringified_json"), null);
        String access = tokens.login(clientId, newUser(null), PASSWORD, null).get("access_token").asText();
        JsonNode raw = Jwt.payload(access).get(NS);
        assertTrue(raw.isTextual(), "expected a string claim, got " + raw);
        JsonNode parsed = Http.JSON.readTree(raw.asText());
        assertEquals(List.of("user"), strings(parsed.get("x-hasura-allowed-roles")));
        assertEquals("user", parsed.get("x-hasura-default-role").asText());
    }

    @Test
    void claimsArePresentInIdTokenUserinfoAndIntrospection() {
        // Keycloak 26 introspects only for clients in the token's audience: an app client with an audience mapper.
        String introspector = unique("it-introspector");
        String secret = admin.createConfidentialClient(introspector);
        String appClient = unique("it-app");
        admin.createClient(appClient, List.of(
                KeycloakAdmin.hasuraMapper("hasura-claims", Map.of("hasura.roles.priority", "manager,user")),
                KeycloakAdmin.audienceMapper(introspector)), null);
        String username = newUser(null, "manager");
        JsonNode response = tokens.login(appClient, username, PASSWORD, "openid");
        String access = response.get("access_token").asText();

        JsonNode idClaims = claims(response.get("id_token").asText());
        assertEquals("manager", idClaims.get("x-hasura-default-role").asText());

        Http.Response userinfo = tokens.userinfo(access);
        assertEquals(200, userinfo.status(), userinfo.toString());
        assertEquals("manager", userinfo.json().get(NS).get("x-hasura-default-role").asText());

        Http.Response introspection = tokens.introspect(introspector, secret, access);
        assertEquals(200, introspection.status(), introspection.toString());
        assertTrue(introspection.json().get("active").asBoolean());
        assertEquals(List.of("manager", "user"),
                strings(introspection.json().get(NS).get("x-hasura-allowed-roles")));
    }

    @Test
    void tokenTogglesAreHonoured() {
        String clientId = unique("it-toggles");
        admin.createClientWithHasuraMapper(clientId, Map.of("id.token.claim", "false", "userinfo.token.claim", "false"), null);
        JsonNode response = tokens.login(clientId, newUser(null), PASSWORD, "openid");
        assertNotNull(Jwt.payload(response.get("access_token").asText()).get(NS));
        assertNull(Jwt.payload(response.get("id_token").asText()).get(NS));
        assertNull(tokens.userinfo(response.get("access_token").asText()).json().get(NS));
    }

    @Test
    void lightweightAccessTokensCarryTheClaimsOnlyWhenEnabled() {
        Map<String, String> lightweight = Map.of("client.use.lightweight.access.token.enabled", "true");
        String on = unique("it-light-on");
        admin.createClientWithHasuraMapper(on, Map.of("lightweight.claim", "true"), lightweight);
        String off = unique("it-light-off");
        admin.createClientWithHasuraMapper(off, Map.of("lightweight.claim", "false"), lightweight);
        String username = newUser(null);

        String withClaims = tokens.login(on, username, PASSWORD, null).get("access_token").asText();
        assertEquals("user", claims(withClaims).get("x-hasura-default-role").asText());
        String without = tokens.login(off, username, PASSWORD, null).get("access_token").asText();
        assertNull(Jwt.payload(without).get(NS), Jwt.payload(without).toString());
    }

    @Test
    void clientRolesCanBeTheRolesSource() {
        String clientId = unique("it-client-roles");
        String clientUuid = admin.createClientWithHasuraMapper(clientId, Map.of(
                "hasura.roles.source", "client",
                "hasura.roles.client", "hasura-app"), null);
        assertNotNull(clientUuid);
        String appUuid = admin.clientUuid("hasura-app");
        String editor = unique("editor");
        admin.createClientRole(appUuid, editor);
        String username = unique("user");
        String id = admin.createUser(username, PASSWORD, null);
        admin.addClientRoles(id, appUuid, editor);
        admin.addRealmRoles(id, "manager");

        JsonNode claims = claims(tokens.login(clientId, username, PASSWORD, null).get("access_token").asText());
        assertEquals(List.of(editor), strings(claims.get("x-hasura-allowed-roles")));
        assertEquals(editor, claims.get("x-hasura-default-role").asText());
    }

    @Test
    void accessTokenVerifiesAgainstRealmJwksWithAnIndependentJoseLibrary() throws Exception {
        String access = tokens.login("hasura-app", newUser(null), PASSWORD, null).get("access_token").asText();
        JWKSet jwks = JWKSet.parse(Http.get(server.realmUrl() + "/protocol/openid-connect/certs", null).body());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(server.issuer()).build(), Set.of("sub", "exp", "iat")));

        JWTClaimsSet verified = processor.process(access, null);
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = (Map<String, Object>) verified.getClaim(NS);
        assertEquals("user", claims.get("x-hasura-default-role"));

        // Changing the payload breaks the signature.
        String[] parts = access.split("\\.");
        String forged = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"user\"", "\"manager\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(forged.getBytes()) + "." + parts[2];
        assertThrows(BadJOSEException.class, () -> processor.process(tampered, null));
    }

    @Test
    void adminRestRejectsNonsenseMapperConfigWithAClearMessage() {
        // A client without a Hasura mapper: it may have one (OneHasuraMapperIT), so only the last POST succeeds.
        String clientUuid = admin.createClient(unique("it-validate"), List.of(), null);
        Http.Response badSource = admin.call("POST", "/clients/" + clientUuid + "/protocol-mappers/models",
                KeycloakAdmin.hasuraMapper("bad-source", Map.of("claim.name", "other", "hasura.roles.source", "groups")));
        assertEquals(400, badSource.status(), badSource.toString());
        assertTrue(badSource.body().contains("Roles source must be"), badSource.body());

        Http.Response missingClient = admin.call("POST", "/clients/" + clientUuid + "/protocol-mappers/models",
                KeycloakAdmin.hasuraMapper("missing-client", Map.of("claim.name", "other2",
                        "hasura.roles.source", "client", "hasura.roles.client", "no-such-client")));
        assertEquals(400, missingClient.status(), missingClient.toString());
        assertTrue(missingClient.body().contains("no-such-client"), missingClient.body());

        Http.Response good = admin.call("POST", "/clients/" + clientUuid + "/protocol-mappers/models",
                KeycloakAdmin.hasuraMapper("good", Map.of("claim.name", "other3", "hasura.roles.priority", "manager,user")));
        assertEquals(201, good.status(), good.toString());
    }

    @Test
    void adminRestRefusesAdminAsFallbackOrPriorityUnlessAllowed() {
        String clientUuid = admin.createClient(unique("it-admin-role"), List.of(), null);
        String models = "/clients/" + clientUuid + "/protocol-mappers/models";
        Http.Response fallback = admin.call("POST", models,
                KeycloakAdmin.hasuraMapper("admin-fallback", Map.of("claim.name", "a1", "hasura.roles.fallback", "admin")));
        assertEquals(400, fallback.status(), fallback.toString());
        assertTrue(fallback.body().contains("Fallback role must not be"), fallback.body());
        assertTrue(fallback.body().contains("hasura.roles.allowed"), fallback.body());

        Http.Response priority = admin.call("POST", models,
                KeycloakAdmin.hasuraMapper("admin-priority", Map.of("claim.name", "a2", "hasura.roles.priority", "admin,user",
                        "hasura.roles.allowed", "user,manager")));
        assertEquals(400, priority.status(), priority.toString());
        assertTrue(priority.body().contains("Default role priority must not contain"), priority.body());

        Http.Response allowed = admin.call("POST", models,
                KeycloakAdmin.hasuraMapper("admin-allowed", Map.of("claim.name", "a3", "hasura.roles.fallback", "admin",
                        "hasura.roles.priority", "admin,user", "hasura.roles.allowed", "user,admin")));
        assertEquals(201, allowed.status(), allowed.toString());
    }

    @Test
    void realmExportKeepsHasuraClaimsAndAudienceOutOfIdTokens() {
        JsonNode response = tokens.login("hasura-app", newUser(null, "manager"), PASSWORD, "openid");
        JsonNode id = Jwt.payload(response.get("id_token").asText());
        assertNull(id.get(NS), "ID token carries Hasura claims: " + id);
        assertFalse(audiences(id).contains("hasura"), "ID token is for Hasura: " + id);
        assertEquals(List.of("hasura-app"), audiences(id));

        JsonNode access = Jwt.payload(response.get("access_token").asText());
        assertTrue(audiences(access).contains("hasura"), access.toString());
        assertEquals("manager", claims(response.get("access_token").asText()).get("x-hasura-default-role").asText());
        // The export's allow-list: only the app's roles, however many roles the user holds.
        assertEquals(List.of("manager", "user"), strings(access.get(NS).get("x-hasura-allowed-roles")));
    }

    private static List<String> audiences(JsonNode payload) {
        JsonNode aud = payload.path("aud");
        return aud.isArray() ? strings(aud) : aud.isMissingNode() ? List.of() : List.of(aud.asText());
    }

    @Test
    void realmIsConfiguredAsTheContractSays() {
        JsonNode realm = admin.realm();
        assertTrue(realm.get("bruteForceProtected").asBoolean());
        assertTrue(realm.get("registrationAllowed").asBoolean());
        assertEquals(300, realm.get("accessTokenLifespan").asInt());
        JsonNode client = admin.call("GET", "/clients/" + admin.clientUuid("hasura-app"), null).json();
        assertTrue(client.get("publicClient").asBoolean());
        assertTrue(client.get("directAccessGrantsEnabled").asBoolean());
        assertEquals("S256", client.get("attributes").get("pkce.code.challenge.method").asText());
        Set<String> scopes = new HashSet<>(strings(client.get("defaultClientScopes")));
        assertTrue(scopes.containsAll(Set.of("hasura", "profile", "email", "roles")), scopes.toString());
        JsonNode defaultRoles = admin.call("GET", "/roles/default-roles-app/composites/realm", null).json();
        assertTrue(defaultRoles.findValuesAsText("name").contains("user"), defaultRoles.toString());
    }
}
