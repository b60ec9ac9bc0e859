package io.github.keycloakhasura.it.stepup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.stepup.StepUpRealm.ELEVATED;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.NS;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.data;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.error;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Personal access tokens on the real Keycloak: created only with an elevated token and within the caller's roles
 * (never admin), stored as a Keycloak credential holding a hash, listed without the secret; a login with one gives an
 * access token only, limited to its roles minus any the owner lost; the webhook takes one as a bearer with the same
 * limits; revoked (by the owner or an admin deleting the credential), the owner signed out by an admin, or disabled:
 * refused at once.
 */
@ExtendWith(KeycloakExtension.class)
class PersonalAccessTokensIT {

    private static StepUpRealm realm;

    @BeforeAll
    static void setUp(KeycloakServer server) throws IOException {
        realm = StepUpRealm.create(server, "it-pats", (String) null);
    }

    @AfterAll
    static void tearDown() {
        if (realm != null) {
            realm.delete();
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }

    private static String[] manager() {
        String[] user = realm.user();
        realm.admin.addRealmRoles(user[0], "manager");
        return user;
    }

    /** An elevated access token's PAT named "ci" with {@code roles}: the created object. */
    private static JsonNode pat(String username, List<String> roles) {
        return pat(username, "ci", roles);
    }

    private static JsonNode pat(String username, String name, List<String> roles) {
        String elevated = realm.elevated(username).get("token").asText();
        return data(realm.createPat(elevated, name, roles, 30)).get("createPersonalAccessToken");
    }

    @Test
    void aStolenAccessTokenWithoutElevationCannotCreateOne() {
        String[] user = realm.user();
        String bare = realm.login(user[1], null).get("token").asText();
        error(realm.createPat(bare, "ci", List.of("user"), 30), "REAUTHENTICATION_REQUIRED");
        assertEquals(0, data(realm.graphql("{ personalAccessTokens { id } }", null, bare)).get("personalAccessTokens").size());
        String elevated = realm.elevated(user[1]).get("token").asText();
        assertTrue(data(realm.createPat(elevated, "ci", null, 30)).at("/createPersonalAccessToken/token").asText().startsWith("kcpat."));
    }

    @Test
    void adminAReservedNameOrARoleTheCallerLacksIsForbidden() {
        String[] user = realm.user();
        String elevated = realm.elevated(user[1]).get("token").asText();
        error(realm.createPat(elevated, "ci", List.of("admin"), 30), "FORBIDDEN");
        error(realm.createPat(elevated, "ci", List.of("user", "admin"), 30), "FORBIDDEN");
        error(realm.createPat(elevated, "ci", List.of("x-hasura-auth-elevated"), 30), "FORBIDDEN");
        error(realm.createPat(elevated, "ci", List.of("manager"), 30), "FORBIDDEN");
        error(realm.createPat(elevated, "ci", List.of("user"), 0), "BAD_USER_INPUT");
        error(realm.createPat(elevated, " ", List.of("user"), 30), "BAD_USER_INPUT");
        assertEquals(0, data(realm.graphql("{ personalAccessTokens { id } }", null, elevated)).get("personalAccessTokens").size());
    }

    @Test
    void storedAsAKeycloakCredentialWithAHashListedWithoutTheSecret() {
        String[] user = realm.user();
        JsonNode created = pat(user[1], null);
        assertEquals(List.of("user"), strings(created.get("roles")), "default roles");
        String secret = created.get("token").asText();
        JsonNode credentials = realm.admin.call("GET", "/users/" + user[0] + "/credentials", null).json();
        JsonNode stored = null;
        for (JsonNode c : credentials) {
            if (c.path("id").asText().equals(created.get("id").asText())) {
                stored = c;
            }
        }
        JsonNode found = stored;
        String bearer = realm.login(user[1], null).get("token").asText();
        JsonNode listed = data(realm.graphql("{ personalAccessTokens { id name token roles createdAt lastUsedAt expiresAt } }",
                null, bearer)).get("personalAccessTokens");
        assertAll(
                () -> assertTrue(found != null, "an admin sees it among the user's credentials: " + credentials),
                () -> assertEquals("ci", found.path("userLabel").asText(), found.toString()),
                () -> assertFalse(credentials.toString().contains(secret.substring(secret.lastIndexOf('.') + 1)),
                        "the secret is not stored: " + credentials),
                () -> assertEquals(1, listed.size(), listed.toString()),
                () -> assertTrue(listed.get(0).get("token").isNull(), "the secret is shown once: " + listed),
                () -> assertTrue(listed.get(0).get("lastUsedAt").isNull(), listed.toString()),
                () -> assertFalse(listed.get(0).get("createdAt").isNull(), listed.toString()));
        data(realm.patLogin(secret));
        JsonNode afterUse = data(realm.graphql("{ personalAccessTokens { lastUsedAt } }", null, bearer)).get("personalAccessTokens");
        assertFalse(afterUse.get(0).get("lastUsedAt").isNull(), "a use is recorded: " + afterUse);
    }

    @Test
    void aLoginGivesAnAccessTokenOnlyLimitedToItsRolesAndTheWebhookAgrees() {
        String[] user = manager();
        String secret = pat(user[1], List.of("user")).get("token").asText();
        JsonNode login = data(realm.patLogin(secret)).get("tokenAuthWithPersonalAccessToken");
        JsonNode claims = Jwt.payload(login.get("token").asText()).get(NS);
        Http.Response asUser = realm.webhook(secret);
        Http.Response asManager = realm.webhook(secret, "manager");
        Http.Response tokenAsManager = realm.webhook(login.get("token").asText(), "manager");
        assertAll(
                () -> assertTrue(login.get("refreshToken").isNull(), "no refresh token: " + login),
                () -> assertEquals(List.of("user"), strings(claims.get("x-hasura-allowed-roles")), claims.toString()),
                () -> assertEquals("user", claims.get("x-hasura-default-role").asText(), claims.toString()),
                () -> assertFalse(claims.has(ELEVATED), "never elevated: " + claims),
                () -> assertEquals(200, asUser.status(), asUser.toString()),
                () -> assertEquals("user", asUser.json().path("X-Hasura-Role").asText(), asUser.toString()),
                () -> assertEquals(user[0], asUser.json().path("X-Hasura-User-Id").asText(), asUser.toString()),
                () -> assertFalse(asUser.json().has("Expires"), "never cached by Hasura: " + asUser),
                () -> assertEquals(401, asManager.status(), "the PAT has no manager role: " + asManager),
                () -> assertEquals(401, tokenAsManager.status(), "nor its access token: " + tokenAsManager));
    }

    @Test
    void rolesShrinkWithTheOwners() {
        String[] user = manager();
        String secret = pat(user[1], List.of("manager", "user")).get("token").asText();
        assertEquals(200, realm.webhook(secret, "manager").status());
        Http.Response removed = realm.admin.call("DELETE", "/users/" + user[0] + "/role-mappings/realm",
                List.of(realm.admin.call("GET", "/roles/manager", null).json()));
        assertTrue(removed.status() < 300, removed.toString());
        JsonNode claims = Jwt.payload(data(realm.patLogin(secret)).at("/tokenAuthWithPersonalAccessToken/token").asText()).get(NS);
        assertEquals(List.of("user"), strings(claims.get("x-hasura-allowed-roles")), claims.toString());
        assertEquals(401, realm.webhook(secret, "manager").status(), "the owner lost manager");
        assertEquals(200, realm.webhook(secret, "user").status());
    }

    @Test
    void revokedTheNextLoginTheNextWebhookCallAndItsAccessTokensAreRefused() {
        String[] user = realm.user();
        JsonNode created = pat(user[1], null);
        String secret = created.get("token").asText();
        String access = data(realm.patLogin(secret)).at("/tokenAuthWithPersonalAccessToken/token").asText();
        assertEquals(200, realm.webhook(access).status());
        String bare = realm.login(user[1], null).get("token").asText();
        error(realm.graphql("mutation($id: ID!) { revokePersonalAccessToken(id: $id) { success } }",
                Map.of("id", created.get("id").asText()), bare), "REAUTHENTICATION_REQUIRED");
        assertEquals(200, realm.webhook(secret).status(), "a bare access token revoked nothing");
        String bearer = realm.elevated(user[1]).get("token").asText();
        data(realm.graphql("mutation($id: ID!) { revokePersonalAccessToken(id: $id) { success } }",
                Map.of("id", created.get("id").asText()), bearer));
        error(realm.patLogin(secret), "INVALID_TOKEN");
        assertEquals(401, realm.webhook(secret).status(), "the webhook refuses the revoked PAT");
        assertEquals(401, realm.webhook(access).status(), "the access token made from it died with it");
        error(realm.graphql("mutation($id: ID!) { revokePersonalAccessToken(id: $id) { success } }",
                Map.of("id", created.get("id").asText()), bearer), "NOT_FOUND");
    }

    @Test
    void anAdminDeletingTheCredentialOrDisablingTheOwnerKillsIt() {
        String[] user = realm.user();
        JsonNode first = pat(user[1], "first", null);
        JsonNode second = pat(user[1], "second", null);
        error(realm.createPat(realm.elevated(user[1]).get("token").asText(), "second", null, 30), "BAD_USER_INPUT");
        assertEquals(204, realm.admin.call("DELETE", "/users/" + user[0] + "/credentials/" + first.get("id").asText(), null).status());
        error(realm.patLogin(first.get("token").asText()), "INVALID_TOKEN");
        assertEquals(401, realm.webhook(first.get("token").asText()).status());
        data(realm.patLogin(second.get("token").asText()));
        realm.admin.updateUser(user[0], Map.of("enabled", false));
        error(realm.patLogin(second.get("token").asText()), "INVALID_TOKEN");
        assertEquals(401, realm.webhook(second.get("token").asText()).status());
    }

    @Test
    void anAdminSigningTheUserOutKillsTheirTokensButNotTheOnesMadeAfter() throws InterruptedException {
        String[] user = realm.user();
        String[] bystander = realm.user();
        JsonNode created = pat(user[1], null);
        String secret = created.get("token").asText();
        String spared = pat(bystander[1], null).get("token").asText();
        String access = data(realm.patLogin(secret)).at("/tokenAuthWithPersonalAccessToken/token").asText();
        assertEquals(200, realm.webhook(secret).status());

        // The admin console's user > Sessions > "Logout all sessions" (UserResource.logout: the user's not-before, sessions ended).
        assertEquals(204, realm.admin.call("POST", "/users/" + user[0] + "/logout", null).status());
        error(realm.patLogin(secret), "INVALID_TOKEN");
        assertEquals(401, realm.webhook(secret).status(), "the webhook refuses the signed-out PAT");
        assertEquals(401, realm.webhook(access).status(), "the access token made from it died with its session");
        assertEquals(200, realm.webhook(spared).status(), "another user's PAT lives on");

        Thread.sleep(1_100); // not-before has whole seconds: a token of the sign-out's second dies with it
        String bearer = realm.elevated(user[1]).get("token").asText();
        JsonNode listed = data(realm.graphql("{ personalAccessTokens { id } }", null, bearer)).get("personalAccessTokens");
        assertEquals(0, listed.size(), "a signed-out token is not listed: " + listed);
        JsonNode fresh = data(realm.createPat(bearer, "ci", null, 30)).get("createPersonalAccessToken");
        data(realm.patLogin(fresh.get("token").asText()));
        assertEquals(200, realm.webhook(fresh.get("token").asText()).status(), "a token made after the sign-out works");
        error(realm.patLogin(secret), "INVALID_TOKEN");
    }

    @Test
    void aForgedOrMangledTokenIsInvalid() {
        String[] user = realm.user();
        String secret = pat(user[1], null).get("token").asText();
        String forged = secret.substring(0, secret.lastIndexOf('.') + 1) + "A" + secret.substring(secret.lastIndexOf('.') + 2);
        error(realm.patLogin(forged), "INVALID_TOKEN");
        error(realm.patLogin("kcpat.x.y.z"), "INVALID_TOKEN");
        error(realm.patLogin("kcpat." + user[0]), "INVALID_TOKEN");
        assertEquals(401, realm.webhook(forged).status());
    }

    @Test
    void aTokenMadeFromAPatChangesNoAccount() {
        String[] user = realm.user();
        String secret = pat(user[1], null).get("token").asText();
        String access = data(realm.patLogin(secret)).at("/tokenAuthWithPersonalAccessToken/token").asText();
        // A credential for Hasura's data: account operations at Keycloak need a sign-in (PersonalAccessTokenCallerIT
        // holds it for every bearer operation).
        error(realm.graphql("mutation { totpSetup { secret } }", null, access), "FORBIDDEN");
        error(realm.graphql("mutation { totpConfirm(code: \"000000\") { success } }", null, access), "FORBIDDEN");
    }
    /**
     * The export's {@code script} role (issue 23): an admin grants the realm role; its holder's interactive tokens still
     * default to {@code user}; a PAT made with {@code roles: ["script"]} is a token of that role only, for the token,
     * the webhook and whoami alike; a user without the realm role cannot make one.
     */
    @Test
    void theExportsScriptRoleLimitsATokenToScriptAndOnlyItsHoldersMakeOne() {
        String[] plain = realm.user();
        error(realm.createPat(realm.elevated(plain[1]).get("token").asText(), "ci", List.of("script"), 30), "FORBIDDEN");

        String[] user = realm.user();
        realm.admin.addRealmRoles(user[0], "script");
        JsonNode interactive = Jwt.payload(realm.login(user[1], null).get("token").asText()).get(NS);
        assertTrue(strings(interactive.get("x-hasura-allowed-roles")).containsAll(List.of("user", "script")), interactive.toString());
        assertEquals("user", interactive.get("x-hasura-default-role").asText(), "script is never a person's default: " + interactive);

        JsonNode created = pat(user[1], List.of("script"));
        assertEquals(List.of("script"), strings(created.get("roles")));
        String secret = created.get("token").asText();
        String access = data(realm.patLogin(secret)).at("/tokenAuthWithPersonalAccessToken/token").asText();
        JsonNode claims = Jwt.payload(access).get(NS);
        Http.Response hook = realm.webhook(secret);
        JsonNode whoami = data(realm.graphql("{ whoami { hasura } }", null, access)).at("/whoami/hasura");
        assertAll(
                () -> assertEquals(List.of("script"), strings(claims.get("x-hasura-allowed-roles")), claims.toString()),
                () -> assertEquals("script", claims.get("x-hasura-default-role").asText(), claims.toString()),
                () -> assertEquals(claims, whoami, "whoami agrees with the token"),
                () -> assertEquals(200, hook.status(), hook.toString()),
                () -> assertEquals("script", hook.json().path("X-Hasura-Role").asText(), hook.toString()),
                () -> assertEquals(401, realm.webhook(secret, "user").status(), "a script token is no user token"),
                () -> assertEquals(401, realm.webhook(access, "user").status(), "nor its access token"));
    }
}
