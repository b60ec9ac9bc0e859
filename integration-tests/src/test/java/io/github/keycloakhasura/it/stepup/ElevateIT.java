package io.github.keycloakhasura.it.stepup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.graphql.TotpCodes;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.Map;

import static io.github.keycloakhasura.it.stepup.StepUpRealm.ELEVATED;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.NS;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.PASSWORD;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.data;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.error;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code elevate}: one proof (password, OTP; the passkey proof: {@link ElevateWithPasskeyIT}), checked by Keycloak's credential providers and counted
 * by its brute-force protector; new tokens of the same session from Keycloak's refresh grant, whose Hasura claims
 * carry {@code x-hasura-auth-elevated} = the user id, as the webhook and {@code whoami { hasura }} say too. A token
 * issued before the proof (a stolen one) never is elevated.
 */
@ExtendWith(KeycloakExtension.class)
class ElevateIT {

    private static StepUpRealm realm;

    @BeforeAll
    static void setUp(KeycloakServer server) throws IOException {
        realm = StepUpRealm.create(server, "it-elevate", (String) null);
    }

    @AfterAll
    static void tearDown() {
        if (realm != null) {
            realm.delete();
        }
    }

    private static JsonNode claims(String token) {
        return Jwt.payload(token).get(NS);
    }

    @Test
    void passwordProofElevatesTheSameSessionAndTokenWebhookWhoamiAgree() {
        String[] user = realm.user();
        JsonNode login = realm.login(user[1], null);
        String before = login.get("token").asText();
        assertFalse(claims(before).has(ELEVATED), "a plain login is not elevated: " + claims(before));

        JsonNode elevated = data(realm.elevate(login.get("refreshToken").asText(), PASSWORD, null, null)).get("elevate");
        String token = elevated.get("token").asText();
        JsonNode claims = claims(token);
        Http.Response webhook = realm.webhook(token);
        JsonNode whoami = data(realm.graphql("{ whoami { hasura } }", null, token)).at("/whoami/hasura");
        Http.Response stolen = realm.webhook(before);
        assertAll(
                () -> assertEquals(user[0], claims.path(ELEVATED).asText(), "token: " + claims),
                () -> assertEquals(Jwt.payload(before).get("sid"), Jwt.payload(token).get("sid"), "the same session"),
                () -> assertEquals(200, webhook.status(), webhook.toString()),
                () -> assertEquals(user[0], webhook.json().path("X-Hasura-Auth-Elevated").asText(), "webhook: " + webhook),
                () -> assertEquals(claims, whoami, "whoami's hasura is the token's"),
                () -> assertEquals(200, stolen.status(), stolen.toString()),
                () -> assertFalse(stolen.json().has("X-Hasura-Auth-Elevated"),
                        "a token issued before the proof stays unelevated at the webhook: " + stolen));
        assertEquals(0, realm.failures(user[0]), "a right proof is no failure");
    }

    @Test
    void aWrongPasswordIsAFailedLoginAndElevatesNothing() {
        String[] user = realm.user();
        JsonNode login = realm.login(user[1], null);
        error(realm.elevate(login.get("refreshToken").asText(), "wrong-" + PASSWORD, null, null), "UNAUTHENTICATED");
        assertEquals(1, realm.failures(user[0], 1), "Keycloak's brute-force protector counted the wrong proof");
        JsonNode refreshed = realm.refresh(login.get("refreshToken").asText());
        assertFalse(claims(refreshed.get("token").asText()).has(ELEVATED), "still not elevated");
    }

    @Test
    void otpProofElevatesAndAWrongCodeIsAFailedLogin() {
        String[] user = realm.user();
        JsonNode login = realm.login(user[1], null);
        String bearer = login.get("token").asText();
        String secret = data(realm.graphql("mutation { totpSetup { secret } }", null, bearer)).at("/totpSetup/secret").asText();
        TotpCodes.awayFromStepEdge(30, 3);
        data(realm.graphql("mutation($c: String!) { totpConfirm(code: $c) { success } }",
                Map.of("c", TotpCodes.code(secret, 0)), bearer));

        error(realm.elevate(login.get("refreshToken").asText(), null, TotpCodes.code(secret, 9), null), "UNAUTHENTICATED");
        assertEquals(1, realm.failures(user[0], 1), "the wrong code was counted");
        JsonNode elevated = data(realm.elevate(login.get("refreshToken").asText(), null, TotpCodes.code(secret, 1), null))
                .get("elevate");
        assertEquals(user[0], claims(elevated.get("token").asText()).path(ELEVATED).asText());
    }

    @Test
    void otpProofWithoutAnAuthenticatorIsBadInput() {
        String[] user = realm.user();
        JsonNode login = realm.login(user[1], null);
        error(realm.elevate(login.get("refreshToken").asText(), null, "123456", null), "BAD_USER_INPUT");
    }

    @Test
    void exactlyOneProof() {
        String[] user = realm.user();
        String refresh = realm.login(user[1], null).get("refreshToken").asText();
        error(realm.elevate(refresh, null, null, null), "BAD_USER_INPUT");
        error(realm.elevate(refresh, PASSWORD, "123456", null), "BAD_USER_INPUT");
        assertEquals(0, realm.failures(user[0]));
    }

    @Test
    void anInvalidRefreshTokenIsUnauthenticatedAndNotCounted() {
        String[] user = realm.user();
        String access = realm.login(user[1], null).get("token").asText();
        error(realm.elevate("not-a-token", PASSWORD, null, null), "UNAUTHENTICATED");
        // An access token is not a refresh token: Keycloak's verification refuses it.
        error(realm.elevate(access, PASSWORD, null, null), "UNAUTHENTICATED");
    }

    @Test
    void aLoggedOutSessionCannotBeElevated() {
        String[] user = realm.user();
        JsonNode login = realm.login(user[1], null);
        data(realm.graphql("mutation { logout { success } }", null, login.get("token").asText()));
        error(realm.elevate(login.get("refreshToken").asText(), PASSWORD, null, null), "UNAUTHENTICATED");
    }
}
