package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.Mailbox;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * updateAccount(email:) and confirmEmailChange against the real Keycloak with a real SMTP server: an email change
 * needs a proof beyond the access token, takes effect only from the link mailed to the new address (Keycloak's
 * UpdateEmailActionToken), and the old address is told.
 */
@ExtendWith(KeycloakExtension.class)
class AccountEmailChangeIT {

    static final String UPDATE = "mutation($e: String, $p: String) { updateAccount(email: $e, password: $p) "
            + "{ user { email emailVerified } emailPending } }";
    static final String CONFIRM = "mutation($t: String!) { confirmEmailChange(token: $t) { success } }";
    static final String SEND_RESET = "mutation($e: String!) { sendPasswordResetEmail(email: $e) { success } }";
    static final String RESET = "mutation($t: String!, $p: String!) { passwordReset(token: $t, newPassword: $p) { success } }";
    static final String PASSWORD = "Email-change-pass-1";

    @RegisterExtension
    static final EmailRealm realm = new EmailRealm();

    @Test
    void theNewEmailTakesEffectOnlyFromTheLinkSentToItAndTheOldAddressIsTold() {
        String username = unique("change");
        String id = realm.createUser(username, PASSWORD, true);
        String old = username + "@example.test";
        String changed = unique("changed") + "@example.test";
        String token = realm.accessToken(username, PASSWORD);

        JsonNode answer = data(realm.graphql(UPDATE, vars("e", changed, "p", PASSWORD), token)).get("updateAccount");
        assertEquals(changed, answer.get("emailPending").asText(), answer.toString());
        assertEquals(old, answer.get("user").get("email").asText(), "nothing changed yet");
        JsonNode stored = realm.user(id);
        assertEquals(old, stored.get("email").asText());
        assertTrue(stored.get("emailVerified").asBoolean());

        MimeMessage confirmation = realm.mailbox().await(changed, 1).get(0);
        assertEquals("Confirm your new email address", Mailbox.subject(confirmation));
        String link = Mailbox.token(confirmation, EmailRealm.APP_URL, "update-email");
        MimeMessage notice = realm.mailbox().await(old, 1).get(0);
        assertEquals("Your email address is about to change", Mailbox.subject(notice));
        assertTrue(Mailbox.text(notice).contains(changed), Mailbox.text(notice));
        assertFalse(Mailbox.text(notice).contains("update-email?token="), "the old address never gets the link");

        assertTrue(data(realm.graphql(CONFIRM, Map.of("t", link))).get("confirmEmailChange").get("success").asBoolean());
        JsonNode after = realm.user(id);
        assertEquals(changed, after.get("email").asText());
        assertTrue(after.get("emailVerified").asBoolean(), "the new address has proved itself");
        // Single use, and Keycloak's own UPDATE_EMAIL event.
        error(realm.graphql(CONFIRM, Map.of("t", link)), "INVALID_TOKEN");
        JsonNode events = realm.events(id, "UPDATE_EMAIL");
        assertEquals(1, events.size(), events.toString());
        assertEquals(old, events.get(0).path("details").path("previous_email").asText(), events.toString());
        assertEquals(changed, events.get(0).path("details").path("updated_email").asText(), events.toString());
    }

    @Test
    void aStolenAccessTokenAloneChangesNoEmailAndSoCannotTakeTheAccountThroughAReset() {
        String username = unique("stolen");
        String id = realm.createUser(username, PASSWORD, true);
        String old = username + "@example.test";
        String attacker = unique("attacker") + "@example.test";
        realm.withMaxAuthAge("UPDATE_EMAIL", 0, () -> {
            String stolen = realm.accessToken(username, PASSWORD);
            Harness.sleep(1200); // the login is no longer within max_auth_age (0 s)
            JsonNode refused = error(realm.graphql(UPDATE, vars("e", attacker), stolen), "REAUTHENTICATION_REQUIRED");
            assertTrue(refused.get("message").asText().contains("password"), refused.toString());
            error(realm.graphql(UPDATE, vars("e", attacker, "p", "Guessed-pass-1"), stolen), "UNAUTHENTICATED");
            // The chain: a reset to the attacker's address finds no user, sends nothing.
            data(realm.graphql(SEND_RESET, Map.of("e", attacker)));
        });
        JsonNode stored = realm.user(id);
        assertEquals(old, stored.get("email").asText());
        Harness.sleep(1500);
        assertEquals(0, realm.mailbox().messages(attacker).size(), "nothing reaches the attacker's address");
        assertEquals(0, realm.mailbox().messages(old).size(), "nothing was asked for");
    }

    @Test
    void aLoginWithinMaxAuthAgeIsProofEnoughAndTheLinkStillDecides() {
        String username = unique("recent");
        String id = realm.createUser(username, PASSWORD, true);
        String changed = unique("recent-new") + "@example.test";
        String token = realm.accessToken(username, PASSWORD); // a login just now: within the default 300 s
        JsonNode answer = data(realm.graphql(UPDATE, vars("e", changed), token)).get("updateAccount");
        assertEquals(changed, answer.get("emailPending").asText());
        assertEquals(username + "@example.test", realm.user(id).get("email").asText());
        assertNotNull(Mailbox.token(realm.mailbox().await(changed, 1).get(0), EmailRealm.APP_URL, "update-email"));
    }

    @Test
    void theAddressIsValidatedAndALinkIsStaleOnceTheEmailChangedOtherwise() {
        String username = unique("stale");
        String id = realm.createUser(username, PASSWORD, true);
        String other = unique("taken");
        realm.createUser(other, PASSWORD, true);
        String token = realm.accessToken(username, PASSWORD);
        error(realm.graphql(UPDATE, vars("e", "not-an-email", "p", PASSWORD), token), "BAD_USER_INPUT");
        error(realm.graphql(UPDATE, vars("e", other + "@example.test", "p", PASSWORD), token), "BAD_USER_INPUT");

        String changed = unique("stale-new") + "@example.test";
        data(realm.graphql(UPDATE, vars("e", changed, "p", PASSWORD), token));
        String link = Mailbox.token(realm.mailbox().await(changed, 1).get(0), EmailRealm.APP_URL, "update-email");
        // An admin sets another address meanwhile: the link no longer matches the account.
        JsonNode user = realm.user(id);
        ((com.fasterxml.jackson.databind.node.ObjectNode) user).put("email", unique("admin-set") + "@example.test");
        realm.adminOk("PUT", "/users/" + id, user);
        error(realm.graphql(CONFIRM, Map.of("t", link)), "INVALID_TOKEN");
        assertFalse(changed.equals(realm.user(id).get("email").asText()));
    }

    @Test
    void aResetLinkVerifiesOnlyTheAddressItWasSentTo() {
        String username = unique("reset-bound");
        String id = realm.createUser(username, PASSWORD, false);
        String first = username + "@example.test";
        data(realm.graphql(SEND_RESET, Map.of("e", first)));
        String link = Mailbox.token(realm.mailbox().await(first, 1).get(0), EmailRealm.APP_URL, "reset-password");
        // The address changes (an admin) before the link is used: the link verifies nothing and sets no password.
        JsonNode user = realm.user(id);
        ((com.fasterxml.jackson.databind.node.ObjectNode) user).put("email", unique("moved") + "@example.test");
        realm.adminOk("PUT", "/users/" + id, user);
        error(realm.graphql(RESET, Map.of("t", link, "p", "New-pass-5678")), "INVALID_TOKEN");
        assertFalse(realm.user(id).get("emailVerified").asBoolean());
        assertEquals(200, realm.passwordGrant(username, PASSWORD).status());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static Map<String, Object> vars(Object... pairs) {
        Map<String, Object> vars = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            vars.put((String) pairs[i], pairs[i + 1]);
        }
        return vars;
    }

    static JsonNode data(Http.Response response) {
        assertEquals(200, response.status(), response.toString());
        JsonNode json = response.json();
        assertTrue(json.path("errors").isMissingNode(), "unexpected errors: " + response.body());
        return json.get("data");
    }

    static JsonNode error(Http.Response response, String code) {
        assertEquals(200, response.status(), response.toString());
        JsonNode errors = response.json().get("errors");
        assertNotNull(errors, "expected errors: " + response.body());
        assertEquals(code, errors.get(0).path("extensions").path("code").asText(), response.body());
        for (String leak : List.of("Exception", "\tat ", "org.keycloak", "io.github")) {
            assertFalse(response.body().contains(leak), "response leaks '" + leak + "': " + response.body());
        }
        return errors.get(0);
    }
}
