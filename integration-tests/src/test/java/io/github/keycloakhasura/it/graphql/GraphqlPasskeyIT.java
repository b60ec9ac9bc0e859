package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.SoftwareAuthenticator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.graphql.Hostile.vars;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Passkeys through GraphQL on the real Keycloak, with a software authenticator in the test JVM (JDK P-256 keys, CBOR,
 * "none" attestation) standing in for the browser: register, sign in (username or discoverable), list, remove; and
 * the responses a verifier must refuse: a replayed assertion, a reused challenge, another origin or rp id, a signature
 * counter that did not grow, an assertion of a disabled user.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlPasskeyIT {

    static final String PASSWORD = "Passkey-pass-123";
    /** One of hasura-app's web origins ("+": the origins of its redirect URIs). */
    static final String ORIGIN = "http://localhost:3000";
    static final String CLAIMS = "https://hasura.io/jwt/claims";
    static final String REGISTRATION_OPTIONS = "mutation { passkeyRegistrationOptions }";
    static final String REGISTER = "mutation($c: JSON!, $l: String, $p: String) { passkeyRegister(credential: $c, label: $l, password: $p) { success } }";
    static final String LOGIN_OPTIONS = "mutation($u: String) { passkeyLoginOptions(username: $u) }";
    static final String LOGIN = "mutation($c: JSON!) { passkeyLogin(credential: $c) { token refreshToken payload } }";
    static final String LIST = "{ passkeys { id label createdAt lastUsedAt } }";
    static final String REMOVE = "mutation($i: ID!, $p: String) { passkeyRemove(id: $i, password: $p) { success } }";

    static KeycloakAdmin admin;
    static GraphqlClient graphql;
    static AccountCalls calls;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        graphql = new GraphqlClient(keycloak);
        calls = new AccountCalls(graphql, admin);
    }

    /** A new user with a passkey registered through the API; returns the user's access token. */
    record Registered(String username, String id, String token, SoftwareAuthenticator authenticator) {
    }

    static Registered registered(String prefix) {
        String username = admin.newUser(prefix, PASSWORD);
        String token = calls.token(username, PASSWORD);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        JsonNode options = registrationOptions(token);
        data(calls.as(token, REGISTER, vars("c", authenticator.create(options, ORIGIN), "l", "Laptop")));
        return new Registered(username, calls.userId(username), token, authenticator);
    }

    static JsonNode registrationOptions(String token) {
        return data(calls.as(token, REGISTRATION_OPTIONS, null)).get("passkeyRegistrationOptions");
    }

    static JsonNode loginOptions(String username) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("u", username);
        return data(graphql.post(LOGIN_OPTIONS, variables, null)).get("passkeyLoginOptions");
    }

    static Http.Response login(Map<String, Object> credential) {
        return graphql.post(LOGIN, vars("c", credential), null);
    }

    static JsonNode passkeys(String token) {
        return data(calls.as(token, LIST, null)).get("passkeys");
    }

    @Test
    void aRegisteredPasskeySignsInWithHasuraClaimsAndIsListed() {
        String username = admin.newUser("passkey-ok", PASSWORD);
        String id = calls.userId(username);
        String token = calls.token(username, PASSWORD);
        assertEquals(0, passkeys(token).size());

        JsonNode options = registrationOptions(token);
        assertEquals(username, options.path("user").path("name").asText(), options.toString());
        assertEquals(-7, options.path("pubKeyCredParams").get(0).path("alg").asInt(), options.toString());
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        data(calls.as(token, REGISTER, vars("c", authenticator.create(options, ORIGIN), "l", "Laptop")));

        // Keycloak's own passwordless WebAuthn credential.
        JsonNode passkey = null;
        for (JsonNode credential : admin.call("GET", "/users/" + id + "/credentials", null).json()) {
            if (credential.get("type").asText().equals("webauthn-passwordless")) {
                passkey = credential;
            }
        }
        assertTrue(passkey != null, "stored as Keycloak's webauthn-passwordless credential");
        JsonNode listed = passkeys(token);
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("Laptop", listed.get(0).get("label").asText());
        assertEquals(passkey.get("id").asText(), listed.get(0).get("id").asText());
        assertFalse(listed.get(0).get("createdAt").isNull());
        assertTrue(listed.get(0).get("lastUsedAt").isNull(), listed.toString());

        JsonNode request = loginOptions(username);
        assertEquals(authenticator.id(), request.path("allowCredentials").get(0).path("id").asText(), request.toString());
        JsonNode tokens = data(login(authenticator.get(request, ORIGIN))).get("passkeyLogin");
        JsonNode payload = Jwt.payload(tokens.get("token").asText());
        assertEquals(id, payload.get("sub").asText());
        assertEquals("hasura-app", payload.get("azp").asText());
        assertEquals(id, payload.path(CLAIMS).path("x-hasura-user-id").asText(), payload.toString());
        assertEquals("user", payload.path(CLAIMS).path("x-hasura-default-role").asText(), payload.toString());
        assertFalse(tokens.get("refreshToken").asText().isEmpty());

        // Discoverable: no username, the user handle names the user.
        JsonNode discoverable = loginOptions(null);
        assertEquals(0, discoverable.path("allowCredentials").size(), discoverable.toString());
        JsonNode again = data(login(authenticator.get(discoverable, ORIGIN))).get("passkeyLogin");
        assertEquals(id, Jwt.payload(again.get("token").asText()).get("sub").asText());
        assertFalse(passkeys(token).get(0).get("lastUsedAt").isNull());
    }

    @Test
    void aReplayedAssertionIsRefused() {
        Registered user = registered("passkey-replay");
        Map<String, Object> assertion = user.authenticator().get(loginOptions(user.username()), ORIGIN);
        data(login(assertion));
        error(login(assertion), "INVALID_CREDENTIAL");
    }

    @Test
    void aChallengeVerifiesOneResponseOnly() {
        Registered user = registered("passkey-challenge");
        JsonNode options = loginOptions(user.username());
        data(login(user.authenticator().get(options, ORIGIN)));
        // A fresh, correctly signed assertion (higher counter) over the used challenge.
        error(login(user.authenticator().get(options, ORIGIN)), "INVALID_CREDENTIAL");
        // Registration challenges too.
        JsonNode creation = registrationOptions(user.token());
        data(calls.as(user.token(), REGISTER, vars("c", new SoftwareAuthenticator().create(creation, ORIGIN), "l", "Second")));
        error(calls.as(user.token(), REGISTER, vars("c", new SoftwareAuthenticator().create(creation, ORIGIN), "l", "Third")),
                "INVALID_CREDENTIAL");
        assertEquals(2, passkeys(user.token()).size());
    }

    @Test
    void anotherOriginIsRefused() {
        Registered user = registered("passkey-origin");
        error(login(user.authenticator().get(loginOptions(user.username()), "http://evil.example.test")), "INVALID_CREDENTIAL");
        JsonNode creation = registrationOptions(user.token());
        error(calls.as(user.token(), REGISTER, vars("c", new SoftwareAuthenticator().create(creation, "http://evil.example.test"))),
                "INVALID_CREDENTIAL");
        assertEquals(1, passkeys(user.token()).size());
        data(login(user.authenticator().get(loginOptions(user.username()), ORIGIN)));
    }

    @Test
    void anotherRpIdIsRefused() {
        Registered user = registered("passkey-rpid");
        JsonNode options = loginOptions(user.username());
        error(login(user.authenticator().get(options.get("challenge").asText(), ORIGIN, "evil.example.test",
                user.authenticator().counter() + 1)), "INVALID_CREDENTIAL");
        JsonNode creation = registrationOptions(user.token());
        error(calls.as(user.token(), REGISTER, vars("c", new SoftwareAuthenticator().create(creation.get("challenge").asText(),
                creation.path("user").path("id").asText(), ORIGIN, "evil.example.test"))), "INVALID_CREDENTIAL");
        assertEquals(1, passkeys(user.token()).size());
    }

    @Test
    void aSignatureCounterThatDoesNotGrowIsRefusedAndCountsAsAFailedLogin() {
        Registered user = registered("passkey-counter");
        // Lockout after 30 failures, none for quick ones: what refuses below is the counter, not a lock.
        calls.withRealm(Map.of("failureFactor", 30, "quickLoginCheckMilliSeconds", 0), () -> {
            counterChecks(user);
            return null;
        });
    }

    private static void counterChecks(Registered user) {
        SoftwareAuthenticator authenticator = user.authenticator();
        JsonNode options = loginOptions(user.username());
        data(login(authenticator.get(options.get("challenge").asText(), ORIGIN, options.get("rpId").asText(), 5)));
        int before = Hostile.bruteForce(admin, user.id()).path("numFailures").asInt();
        JsonNode lower = loginOptions(user.username());
        error(login(authenticator.get(lower.get("challenge").asText(), ORIGIN, lower.get("rpId").asText(), 3)), "INVALID_CREDENTIAL");
        assertEquals(before + 1, Hostile.awaitFailures(admin, user.id(), before + 1), "a failed login counted");
        JsonNode same = loginOptions(user.username());
        error(login(authenticator.get(same.get("challenge").asText(), ORIGIN, same.get("rpId").asText(), 5)), "INVALID_CREDENTIAL");
        assertEquals(before + 2, Hostile.awaitFailures(admin, user.id(), before + 2), "a failed login counted");
        admin.call("DELETE", "/attack-detection/brute-force/users/" + user.id(), null);
        JsonNode higher = loginOptions(user.username());
        data(login(authenticator.get(higher.get("challenge").asText(), ORIGIN, higher.get("rpId").asText(), 6)));
    }

    @Test
    void anotherUsersPasskeyDoesNotAnswerOptionsForThisUser() {
        Registered owner = registered("passkey-owner");
        String other = admin.newUser("passkey-other", PASSWORD);
        error(login(owner.authenticator().get(loginOptions(other), ORIGIN)), "INVALID_CREDENTIAL");
        error(login(owner.authenticator().get(loginOptions("no-such-user-" + System.nanoTime()), ORIGIN)), "INVALID_CREDENTIAL");
    }

    /**
     * Options for a name list one credential whether or not it has passkeys: a name without any (no such user, or a
     * user who registered none) gets a decoy id, stable per user or name and shaped like a real one, so the answer
     * does not tell which accounts have passkeys. Found by asking for many names: before, "allowCredentials": []
     * meant "no passkey here".
     */
    @Test
    void optionsForANameDoNotTellWhetherItHasPasskeys() {
        Registered owner = registered("passkey-decoy-owner");
        String without = admin.newUser("passkey-decoy-none", PASSWORD);
        String withoutEmail = without + "@example.test";
        admin.updateUser(calls.userId(without), Map.of("email", withoutEmail));
        String unknown = "no-such-user-" + System.nanoTime();

        JsonNode real = loginOptions(owner.username()).path("allowCredentials");
        assertEquals(1, real.size(), real.toString());
        assertEquals(owner.authenticator().id(), real.get(0).path("id").asText());
        for (String name : new String[] {without, unknown}) {
            JsonNode first = loginOptions(name).path("allowCredentials");
            JsonNode again = loginOptions(name).path("allowCredentials");
            assertEquals(1, first.size(), name + ": " + first);
            assertEquals(first, again, name + ": the same decoy every time, as a real passkey's id is");
            assertEquals("public-key", first.get(0).path("type").asText());
            assertEquals(32, java.util.Base64.getUrlDecoder().decode(first.get(0).path("id").asText()).length,
                    "a decoy is 32 bytes, a common length of platform authenticators' ids: " + first);
        }
        assertEquals(loginOptions(without).path("allowCredentials"), loginOptions(withoutEmail).path("allowCredentials"),
                "by username or by email: one user, one decoy");
        assertNotEquals(loginOptions(without).path("allowCredentials"), loginOptions(unknown).path("allowCredentials"));
        // A sign-in answering a decoy's options fails like any wrong passkey.
        error(login(owner.authenticator().get(loginOptions(unknown), ORIGIN)), "INVALID_CREDENTIAL");
    }

    @Test
    void aDisabledUsersPasskeyIsForbidden() {
        Registered user = registered("passkey-disabled");
        admin.updateUser(user.id(), Map.of("enabled", false));
        error(login(user.authenticator().get(loginOptions(null), ORIGIN)), "FORBIDDEN");
    }

    @Test
    void removingAPasskeyNeedsMoreThanAnOldTokenAndEndsItsSignIns() {
        Registered user = registered("passkey-remove");
        String id = passkeys(user.token()).get(0).get("id").asText();
        admin.withMaxAuthAge("webauthn-register-passwordless", 0, () -> {
            Hostile.sleep(1200); // the login is no longer within max_auth_age (0 s)
            error(calls.as(user.token(), REMOVE, vars("i", id)), "REAUTHENTICATION_REQUIRED");
            error(calls.as(user.token(), REMOVE, vars("i", id, "p", "Guessed-pass-1")), "UNAUTHENTICATED");
            // Registering one takes the same proof.
            JsonNode creation = registrationOptions(user.token());
            error(calls.as(user.token(), REGISTER, vars("c", new SoftwareAuthenticator().create(creation, ORIGIN))),
                    "REAUTHENTICATION_REQUIRED");
            assertEquals(1, passkeys(user.token()).size());
            data(calls.as(user.token(), REMOVE, vars("i", id, "p", PASSWORD)));
        });
        assertEquals(0, passkeys(user.token()).size());
        error(login(user.authenticator().get(loginOptions(null), ORIGIN)), "INVALID_CREDENTIAL");
        error(calls.as(user.token(), REMOVE, vars("i", id, "p", PASSWORD)), "NOT_FOUND");
    }

    @Test
    void otpAndPendingRequiredActionsApplyAsForTokenAuth() {
        Registered user = registered("passkey-otp");
        String secret = calls.enableTotp(user.token());
        String withOtp = "mutation($c: JSON!, $o: String) { passkeyLogin(credential: $c, otp: $o) { token } }";
        error(login(user.authenticator().get(loginOptions(user.username()), ORIGIN)), "OTP_REQUIRED");
        TotpCodes.awayFromStepEdge(30, 3);
        JsonNode tokens = data(graphql.post(withOtp, vars("c", user.authenticator().get(loginOptions(user.username()), ORIGIN),
                "o", TotpCodes.code(secret, 1)), null)).get("passkeyLogin"); // the next step: the confirming code is used
        assertEquals(user.id(), Jwt.payload(tokens.get("token").asText()).get("sub").asText());

        Registered pending = registered("passkey-action");
        admin.updateUser(pending.id(), Map.of("requiredActions", java.util.List.of("UPDATE_PASSWORD")));
        JsonNode refused = error(login(pending.authenticator().get(loginOptions(null), ORIGIN)), "ACTION_REQUIRED");
        assertTrue(refused.toString().contains("UPDATE_PASSWORD"), refused.toString());
    }

    @Test
    void malformedCredentialsAreInvalidNotInternal() {
        error(login(Map.of("type", "public-key")), "INVALID_CREDENTIAL");
        error(login(Map.of("response", Map.of("clientDataJSON", "%%%"))), "INVALID_CREDENTIAL");
        error(graphql.post(LOGIN, vars("c", "not json"), null), "INVALID_CREDENTIAL");
    }

    @Test
    void passkeysOffInTheRealmAreForbidden() {
        Registered user = registered("passkey-off");
        JsonNode options = loginOptions(null);
        calls.withRealm(Map.of("attributes", Map.of("graphqlPasskeys", "false")), () -> {
            error(graphql.post(LOGIN_OPTIONS, null, null), "FORBIDDEN");
            error(login(user.authenticator().get(options, ORIGIN)), "FORBIDDEN");
            error(calls.as(user.token(), REGISTRATION_OPTIONS, null), "FORBIDDEN");
            return null;
        });
    }
}
