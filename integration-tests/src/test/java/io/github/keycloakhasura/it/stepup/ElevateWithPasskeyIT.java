package io.github.keycloakhasura.it.stepup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.SoftwareAuthenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
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
 * {@code elevate(refreshToken, passkey)} on the real Keycloak, with the software authenticator the passkey ITs use:
 * the challenge comes from {@code passkeyLoginOptions}, the assertion is checked by the same code as passkeyLogin's
 * (Keycloak's single-use store, its {@code webauthn-passwordless} credential, webauthn4j, the signature counter), and
 * a refused assertion is a failed login for Keycloak's brute-force protector and elevates nothing; with the realm's
 * passkeys off, a passkey proof is FORBIDDEN like every passkey operation.
 */
@ExtendWith(KeycloakExtension.class)
class ElevateWithPasskeyIT {

    /** One of hasura-app's web origins ("+": the origins of its redirect URIs). */
    static final String ORIGIN = "http://localhost:3000";
    static final String REGISTRATION_OPTIONS = "mutation { passkeyRegistrationOptions }";
    static final String REGISTER = "mutation($c: JSON!) { passkeyRegister(credential: $c, label: \"Laptop\") { success } }";
    static final String LOGIN_OPTIONS = "mutation($u: String) { passkeyLoginOptions(username: $u) }";

    private static StepUpRealm realm;

    /** A user with a passkey and a live session (the password login's refresh token). */
    record Holder(String id, String username, String refreshToken, SoftwareAuthenticator authenticator) {
    }

    @BeforeAll
    static void setUp(KeycloakServer server) throws IOException {
        realm = StepUpRealm.create(server, "it-elevate-passkey", (String) null);
    }

    @AfterAll
    static void tearDown() {
        if (realm != null) {
            realm.delete();
        }
    }

    private static Holder holder() {
        String[] user = realm.user();
        JsonNode login = realm.login(user[1], null);
        String bearer = login.get("token").asText();
        JsonNode options = data(realm.graphql(REGISTRATION_OPTIONS, null, bearer)).get("passkeyRegistrationOptions");
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        data(realm.graphql(REGISTER, Map.of("c", authenticator.create(options, ORIGIN)), bearer));
        return new Holder(user[0], user[1], login.get("refreshToken").asText(), authenticator);
    }

    private static JsonNode loginOptions(String username) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("u", username);
        return data(realm.graphql(LOGIN_OPTIONS, variables, null)).get("passkeyLoginOptions");
    }

    private static JsonNode claims(JsonNode tokens) {
        return Jwt.payload(tokens.get("token").asText()).get(NS);
    }

    /**
     * A refused proof: UNAUTHENTICATED and a failed login. The user's failures are cleared first, so the attempt is
     * checked (not refused unchecked by a quick-login lock of the previous one) and counted on its own.
     */
    private static void refused(Holder holder, Map<String, Object> assertion) {
        assertEquals(204, realm.admin.call("DELETE", "/attack-detection/brute-force/users/" + holder.id(), null).status());
        error(realm.elevate(holder.refreshToken(), null, null, assertion), "UNAUTHENTICATED");
        assertEquals(1, realm.failures(holder.id(), 1), "Keycloak's brute-force protector counted it");
    }

    private static void notElevated(Holder holder) {
        assertFalse(claims(realm.refresh(holder.refreshToken())).has(ELEVATED), "not elevated");
    }

    @Test
    void aPasskeyProofElevatesTheSameSessionAndWhoamiAgrees() {
        Holder holder = holder();
        String sid = Jwt.payload(realm.refresh(holder.refreshToken()).get("token").asText()).get("sid").asText();
        Map<String, Object> assertion = holder.authenticator().get(loginOptions(holder.username()), ORIGIN);
        JsonNode elevated = data(realm.elevate(holder.refreshToken(), null, null, assertion)).get("elevate");
        String token = elevated.get("token").asText();
        JsonNode whoami = data(realm.graphql("{ whoami { hasura } }", null, token)).at("/whoami/hasura");
        Http.Response webhook = realm.webhook(token);
        assertAll(
                () -> assertEquals(holder.id(), claims(elevated).path(ELEVATED).asText(), claims(elevated).toString()),
                () -> assertEquals(sid, Jwt.payload(token).get("sid").asText(), "the same session"),
                () -> assertEquals(claims(elevated), whoami, "whoami's hasura is the token's"),
                () -> assertEquals(holder.id(), webhook.json().path("X-Hasura-Auth-Elevated").asText(), webhook.toString()),
                () -> assertEquals(0, realm.failures(holder.id()), "a right proof is no failure"));

        // Discoverable options (no username) serve as well: the passkey must be the session user's.
        JsonNode again = data(realm.elevate(holder.refreshToken(), null, null,
                holder.authenticator().get(loginOptions(null), ORIGIN))).get("elevate");
        assertEquals(holder.id(), claims(again).path(ELEVATED).asText());
    }

    @Test
    void aReplayedAssertionIsRefusedAndCounted() {
        Holder holder = holder();
        Map<String, Object> assertion = holder.authenticator().get(loginOptions(holder.username()), ORIGIN);
        data(realm.elevate(holder.refreshToken(), null, null, assertion));
        refused(holder, assertion);
    }

    @Test
    void anotherUsersPasskeyIsRefusedAndCounted() {
        Holder victim = holder();
        Holder other = holder();
        // other's passkey, for options without a username: not a passkey of the victim's account
        refused(victim, other.authenticator().get(loginOptions(null), ORIGIN));
        // other's passkey presented under the victim's user handle: still not one of the victim's credentials
        SoftwareAuthenticator impostor = new SoftwareAuthenticator(other.authenticator().credentialId(),
                other.authenticator().privateKeyPkcs8(), victim.id().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                other.authenticator().counter());
        refused(victim, impostor.get(loginOptions(null), ORIGIN));
        // options issued for the other user, answered by the other user's passkey
        refused(victim, other.authenticator().get(loginOptions(other.username()), ORIGIN));
        assertEquals(0, realm.failures(other.id()), "the victim's session is the one attacked");
        notElevated(victim);
    }

    @Test
    void aWrongChallengeIsRefusedAndCounted() {
        Holder holder = holder();
        String rpId = loginOptions(holder.username()).get("rpId").asText();
        String invented = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        refused(holder, holder.authenticator().get(invented, ORIGIN, rpId, holder.authenticator().counter() + 1));
        // a registration challenge is no sign-in challenge
        JsonNode login = realm.login(holder.username(), null);
        JsonNode creation = data(realm.graphql(REGISTRATION_OPTIONS, null, login.get("token").asText())).get("passkeyRegistrationOptions");
        refused(holder, holder.authenticator().get(creation.get("challenge").asText(), ORIGIN, rpId,
                holder.authenticator().counter() + 1));
        notElevated(holder);
    }

    @Test
    void withPasskeysOffAPasskeyProofIsForbiddenUncountedAndAPasswordStillElevates() {
        Holder holder = holder();
        Map<String, Object> assertion = holder.authenticator().get(loginOptions(holder.username()), ORIGIN);
        String rpId = loginOptions(holder.username()).get("rpId").asText();
        String invented = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
        // An assertion that would be refused and counted were it checked (a challenge never issued).
        Map<String, Object> wrong = holder.authenticator().get(invented, ORIGIN, rpId, holder.authenticator().counter() + 1);
        setPasskeys("false");
        try {
            JsonNode forbidden = error(realm.elevate(holder.refreshToken(), null, null, assertion), "FORBIDDEN");
            assertTrue(forbidden.path("message").asText().contains("graphqlPasskeys"), forbidden.toString());
            error(realm.elevate(holder.refreshToken(), null, null, wrong), "FORBIDDEN");
            try {
                Thread.sleep(1_500); // Keycloak's protector records a failure after the answer, on its own executor
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertEquals(0, realm.failures(holder.id()), "the realm's switch refused them; no proof was checked or counted");
            notElevated(holder);
            JsonNode elevated = data(realm.elevate(holder.refreshToken(), StepUpRealm.PASSWORD, null, null)).get("elevate");
            assertEquals(holder.id(), claims(elevated).path(ELEVATED).asText(), "a password is still a proof");
        } finally {
            setPasskeys("true");
        }
        // Switched on again, the same unused assertion elevates: the refusal used nothing up.
        JsonNode elevated = data(realm.elevate(holder.refreshToken(), null, null, assertion)).get("elevate");
        assertEquals(holder.id(), claims(elevated).path(ELEVATED).asText());
    }

    /** The realm's passkey switch (realm attribute graphqlPasskeys), as an admin sets it. */
    private static void setPasskeys(String value) {
        JsonNode representation = realm.admin.realm();
        Map<String, Object> attributes = new HashMap<>();
        representation.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
        attributes.put("graphqlPasskeys", value);
        Http.Response r = realm.admin.call("PUT", "", Map.of("attributes", attributes));
        assertTrue(r.status() < 300, r.toString());
    }

    @Test
    void aMalformedAssertionIsInvalidCredential() {
        Holder holder = holder();
        error(realm.elevate(holder.refreshToken(), null, null, Map.of("id", "x")), "INVALID_CREDENTIAL");
    }
}
