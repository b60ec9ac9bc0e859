package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Mailbox;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a password reset ends and which links the API takes: a reset ends every session of the user (offline ones
 * too); a reset link stops working once the password it was sent for has changed; verifyAccount and passwordReset
 * take only tokens issued to the API's client, not those Keycloak's own pages or an admin send for another client.
 */
@ExtendWith(KeycloakExtension.class)
class ResetAndVerificationLinksIT {

    static final String PASSWORD = "Links-pass-1234";
    static final String SEND_RESET = SessionEndingPropertyIT.SEND_RESET;
    static final String RESET = SessionEndingPropertyIT.RESET;
    static final String CHANGE = SessionEndingPropertyIT.CHANGE;
    static final String RESEND = "mutation($e: String!) { resendActivationEmail(email: $e) { success } }";
    static final String VERIFY = "mutation($t: String!) { verifyAccount(token: $t) { success } }";

    @RegisterExtension
    static final EmailRealm realm = new EmailRealm();
    static RealmEndpoints endpoints;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        RealmEndpoints.createOfflineCapableClient(realm);
        endpoints = new RealmEndpoints(keycloak, realm.name());
    }

    private static String resetToken(String email, int nth) {
        RealmEndpoints.data(endpoints.graphql(SEND_RESET, Map.of("e", email), null));
        return Mailbox.token(realm.mailbox().await(email, nth).get(nth - 1), EmailRealm.APP_URL, "reset-password");
    }

    @Test
    void aPasswordResetEndsEverySessionOfTheUserOfflineOnesToo() {
        String username = unique("reset-ends");
        String id = realm.createUser(username, PASSWORD, true);
        JsonNode api = endpoints.tokenAuth(username, PASSWORD);
        JsonNode offline = endpoints.nativeLogin(RealmEndpoints.OFFLINE_CAPABLE_CLIENT, username, PASSWORD, "openid offline_access").json();
        assertEquals("Offline", Jwt.payload(offline.get("refresh_token").asText()).get("typ").asText());
        String access = api.get("token").asText();
        assertEquals(List.of("webhook", "verifyToken", "whoami"), endpoints.accessAcceptedBy(access), "live before the reset");

        String token = resetToken(username + "@example.test", 1);
        assertTrue(RealmEndpoints.data(endpoints.graphql(RESET, Map.of("t", token, "p", "Reset-pass-5678"), null))
                .get("passwordReset").get("success").asBoolean());

        assertEquals(List.of(), endpoints.accessAcceptedBy(access), "the old access token passes nowhere");
        assertEquals(List.of(), endpoints.refreshAcceptedBy(api.get("refreshToken").asText()), "the old refresh token refreshes nowhere");
        assertEquals(List.of(), endpoints.refreshAcceptedBy(offline.get("refresh_token").asText()), "the offline session ended too");
        assertEquals(0, realm.adminOk("GET", "/users/" + id + "/sessions", null).size());
        assertEquals(0, realm.adminOk("GET", "/users/" + id + "/offline-sessions/"
                + realm.adminOk("GET", "/clients?clientId=" + RealmEndpoints.OFFLINE_CAPABLE_CLIENT, null).get(0).get("id").asText(), null).size());
        assertEquals(200, realm.passwordGrant(username, "Reset-pass-5678").status(), "the new password logs in");
    }

    @Test
    void aResetLinkSentBeforeAPasswordChangeNoLongerWorksAfterIt() {
        String username = unique("reset-stale");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        String stale = resetToken(email, 1);

        String bearer = endpoints.tokenAuth(username, PASSWORD).get("token").asText();
        RealmEndpoints.data(endpoints.graphql(CHANGE, Map.of("o", PASSWORD, "n", "Changed-pass-5678"), bearer));

        Http.Response refused = endpoints.graphql(RESET, Map.of("t", stale, "p", "Attacker-pass-9012"), null);
        assertEquals("INVALID_TOKEN", RealmEndpoints.code(refused), refused.toString());
        assertEquals(200, realm.passwordGrant(username, "Changed-pass-5678").status(), "the changed password stays");
        assertNotEquals(200, realm.passwordGrant(username, "Attacker-pass-9012").status());

        // The same steps without the change: the link works (the refusal above is the change's doing).
        String control = unique("reset-kept");
        realm.createUser(control, PASSWORD, true);
        String kept = resetToken(control + "@example.test", 1);
        String controlBearer = endpoints.tokenAuth(control, PASSWORD).get("token").asText();
        RealmEndpoints.data(endpoints.graphql(RealmEndpoints.WHOAMI, null, controlBearer));
        assertTrue(RealmEndpoints.data(endpoints.graphql(RESET, Map.of("t", kept, "p", "Reset-pass-3456"), null))
                .get("passwordReset").get("success").asBoolean());
        assertEquals(200, realm.passwordGrant(control, "Reset-pass-3456").status());
    }

    @Test
    void verifyAccountRefusesAVerificationTokenIssuedToAnotherClient() {
        String username = unique("verify-client");
        String id = realm.createUser(username, PASSWORD, false);
        String email = username + "@example.test";
        // Keycloak's own verification email, sent by an admin for the account console: its token names client account.
        realm.adminOk("PUT", "/users/" + id + "/send-verify-email?client_id=account", null);
        String foreign = keycloakActionToken(realm.mailbox().await(email, 1).get(0));
        assertEquals("account", Jwt.payload(foreign).get("azp").asText());
        assertEquals("verify-email", Jwt.payload(foreign).get("typ").asText());

        Http.Response refused = endpoints.graphql(VERIFY, Map.of("t", foreign), null);
        assertEquals("INVALID_TOKEN", RealmEndpoints.code(refused), refused.toString());
        assertFalse(realm.user(id).get("emailVerified").asBoolean(), "not verified by another client's token");

        // The API's own link for the same user works.
        RealmEndpoints.data(endpoints.graphql(RESEND, Map.of("e", email), null));
        String own = Mailbox.token(realm.mailbox().await(email, 2).get(1), EmailRealm.APP_URL, "verify-email");
        assertEquals("hasura-app", Jwt.payload(own).get("azp").asText());
        RealmEndpoints.data(endpoints.graphql(VERIFY, Map.of("t", own), null));
        assertTrue(realm.user(id).get("emailVerified").asBoolean());
    }

    /** The {@code key} of the action-token link in one of Keycloak's own emails. */
    private static String keycloakActionToken(MimeMessage message) {
        Matcher m = Pattern.compile("login-actions/action-token\\?key=([A-Za-z0-9._~%-]+)").matcher(Mailbox.text(message));
        assertTrue(m.find(), Mailbox.text(message));
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }
}
