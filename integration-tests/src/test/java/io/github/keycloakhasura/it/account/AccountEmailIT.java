package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Mailbox;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sendPasswordResetEmail / passwordReset and createUser / resendActivationEmail / verifyAccount against the real
 * Keycloak, with a real SMTP server (GreenMail, in this JVM) as the realm's mail server: the tests read the emails
 * and follow their links' tokens as the app would.
 */
@ExtendWith(KeycloakExtension.class)
class AccountEmailIT {

    static final String SEND_RESET = "mutation($e: String!) { sendPasswordResetEmail(email: $e) { success } }";
    static final String RESET = "mutation($t: String!, $p: String!) { passwordReset(token: $t, newPassword: $p) { success } }";
    static final String RESEND = "mutation($e: String!) { resendActivationEmail(email: $e) { success } }";
    static final String VERIFY = "mutation($t: String!) { verifyAccount(token: $t) { success } }";
    static final String CREATE = "mutation($u: String!, $p: String!, $e: String!) { createUser(username: $u, password: $p, "
            + "email: $e) { user { id username emailVerified } profile { role } token refreshToken } }";
    static final String PASSWORD = "Old-pass-1234";

    @RegisterExtension
    static final EmailRealm realm = new EmailRealm();

    // ------------------------------------------------------------------------------------------------ reset

    @Test
    void resetEmailLinksToTheAppAndItsTokenSetsTheNewPasswordOnce() {
        String username = unique("reset");
        String id = realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";

        assertTrue(success(realm.graphql(SEND_RESET, Map.of("e", email)), "sendPasswordResetEmail"));
        MimeMessage message = realm.mailbox().await(email, 1).get(0);
        assertEquals("Reset your password", Mailbox.subject(message));
        String link = Mailbox.link(message, EmailRealm.APP_URL, "reset-password");
        assertTrue(link.startsWith(EmailRealm.APP_URL + "/reset-password?token="), link);
        String token = Mailbox.token(message, EmailRealm.APP_URL, "reset-password");

        assertTrue(success(realm.graphql(RESET, Map.of("t", token, "p", "New-pass-5678")), "passwordReset"));
        assertEquals(200, realm.passwordGrant(username, "New-pass-5678").status());
        assertNotEquals(200, realm.passwordGrant(username, PASSWORD).status());

        // Single use: the same link again is refused, and the password stays.
        JsonNode reused = error(realm.graphql(RESET, Map.of("t", token, "p", "Other-pass-9012")), "INVALID_TOKEN");
        assertTrue(reused.get("message").asText().contains("Invalid or expired"), reused.toString());
        assertEquals(200, realm.passwordGrant(username, "New-pass-5678").status());

        // Keycloak's own events, as its reset pages write them.
        awaitTrue(() -> realm.events(id, "SEND_RESET_PASSWORD").size() == 1, "SEND_RESET_PASSWORD event");
        assertEquals(1, realm.events(id, "UPDATE_PASSWORD").size());
        assertEquals(1, realm.events(id, "UPDATE_CREDENTIAL").size());
        JsonNode refused = realm.events(id, "RESET_PASSWORD_ERROR");
        assertEquals("expired_code", refused.get(0).get("error").asText(), refused.toString());
    }

    @Test
    void unknownAddressGetsTheSameAnswerAndNoEmail() {
        String unknown = unique("nobody") + "@example.test";
        String username = unique("known");
        realm.createUser(username, PASSWORD, true);
        String known = username + "@example.test";

        Http.Response forUnknown = realm.graphql(SEND_RESET, Map.of("e", unknown));
        Http.Response forKnown = realm.graphql(SEND_RESET, Map.of("e", known));
        assertEquals(forKnown.status(), forUnknown.status());
        assertEquals(forKnown.body(), forUnknown.body());
        Http.Response resendUnknown = realm.graphql(RESEND, Map.of("e", unknown));
        assertEquals("{\"data\":{\"resendActivationEmail\":{\"success\":true}}}", resendUnknown.body());

        realm.mailbox().await(known, 1);
        Harness.sleep(2000);
        assertEquals(0, realm.mailbox().messages(unknown).size());
        boolean logged = false;
        for (JsonNode event : realm.eventsOfType("RESET_PASSWORD_ERROR")) {
            logged |= unknown.equals(event.path("details").path("username").asText())
                    && "user_not_found".equals(event.get("error").asText());
        }
        assertTrue(logged, "RESET_PASSWORD_ERROR user_not_found for the unknown address");
    }

    @Test
    void aSecondRequestWithinTheMinuteSendsNoSecondEmail() {
        String username = unique("twice");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        assertTrue(success(realm.graphql(SEND_RESET, Map.of("e", email)), "sendPasswordResetEmail"));
        assertTrue(success(realm.graphql(SEND_RESET, Map.of("e", email.toUpperCase())), "sendPasswordResetEmail"));
        realm.mailbox().await(email, 1);
        Harness.sleep(3000);
        assertEquals(1, realm.mailbox().messages(email).size());
    }

    @Test
    void forgotPasswordSwitchedOffIsForbiddenForBothSteps() {
        String username = unique("switch");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        success(realm.graphql(SEND_RESET, Map.of("e", email)), "sendPasswordResetEmail");
        String token = Mailbox.token(realm.mailbox().await(email, 1).get(0), EmailRealm.APP_URL, "reset-password");

        realm.withRealmSettings(Map.of("resetPasswordAllowed", false), () -> {
            error(realm.graphql(SEND_RESET, Map.of("e", email)), "FORBIDDEN");
            error(realm.graphql(SEND_RESET, Map.of("e", unique("nobody") + "@example.test")), "FORBIDDEN");
            error(realm.graphql(RESET, Map.of("t", token, "p", "New-pass-5678")), "FORBIDDEN");
        });
        assertEquals(200, realm.passwordGrant(username, PASSWORD).status());
        // Switched on again, the unused token still works.
        assertTrue(success(realm.graphql(RESET, Map.of("t", token, "p", "New-pass-5678")), "passwordReset"));
    }

    @Test
    void tamperedForeignAndGarbageTokensAreInvalid() {
        String username = unique("tamper");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        success(realm.graphql(SEND_RESET, Map.of("e", email)), "sendPasswordResetEmail");
        String token = Mailbox.token(realm.mailbox().await(email, 1).get(0), EmailRealm.APP_URL, "reset-password");

        String[] parts = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8);
        String otherUser = payload.replaceFirst("\"sub\":\"[^\"]+\"", "\"sub\":\"" + realm.createUser(unique("victim"), PASSWORD, true) + "\"");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(otherUser.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        error(realm.graphql(RESET, Map.of("t", forged, "p", "New-pass-5678")), "INVALID_TOKEN");
        String badSignature = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? "B" : "A") + parts[2].substring(1);
        error(realm.graphql(RESET, Map.of("t", badSignature, "p", "New-pass-5678")), "INVALID_TOKEN");
        error(realm.graphql(RESET, Map.of("t", "not-a-token", "p", "New-pass-5678")), "INVALID_TOKEN");
        // A reset token is no verification token, and the other way round.
        error(realm.graphql(VERIFY, Map.of("t", token)), "INVALID_TOKEN");
        assertEquals(200, realm.passwordGrant(username, PASSWORD).status());
        // The genuine token was not spent by the refused attempts.
        assertTrue(success(realm.graphql(RESET, Map.of("t", token, "p", "New-pass-5678")), "passwordReset"));
    }

    @Test
    void expiredTokenIsInvalid() {
        String username = unique("expired");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        realm.withRealmSettings(Map.of("actionTokenGeneratedByUserLifespan", 1), () -> {
            success(realm.graphql(SEND_RESET, Map.of("e", email)), "sendPasswordResetEmail");
            String token = Mailbox.token(realm.mailbox().await(email, 1).get(0), EmailRealm.APP_URL, "reset-password");
            Harness.sleep(2500);
            error(realm.graphql(RESET, Map.of("t", token, "p", "New-pass-5678")), "INVALID_TOKEN");
        });
        assertEquals(200, realm.passwordGrant(username, PASSWORD).status());
    }

    @Test
    void passwordPolicyAppliesAndTheTokenSurvivesARefusal() {
        String username = unique("policy");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        success(realm.graphql(SEND_RESET, Map.of("e", email)), "sendPasswordResetEmail");
        String token = Mailbox.token(realm.mailbox().await(email, 1).get(0), EmailRealm.APP_URL, "reset-password");

        JsonNode tooShort = error(realm.graphql(RESET, Map.of("t", token, "p", "short")), "BAD_USER_INPUT");
        assertTrue(tooShort.get("message").asText().contains("8"), tooShort.toString());
        assertEquals("newPassword", tooShort.path("extensions").path("fields").get(0).get("field").asText(), tooShort.toString());
        error(realm.graphql(RESET, Map.of("t", token, "p", username)), "BAD_USER_INPUT");
        assertEquals(200, realm.passwordGrant(username, PASSWORD).status());
        assertTrue(success(realm.graphql(RESET, Map.of("t", token, "p", "New-pass-5678")), "passwordReset"));
    }

    @Test
    void resetClearsATemporaryBruteForceLockout() {
        String username = unique("locked");
        String id = realm.createUser(username, PASSWORD, true);
        for (int i = 0; i < 7; i++) {
            realm.passwordGrant(username, "wrong-password-" + i);
        }
        awaitTrue(() -> realm.adminOk("GET", "/attack-detection/brute-force/users/" + id, null).path("disabled").asBoolean(),
                "user temporarily locked");
        assertNotEquals(200, realm.passwordGrant(username, PASSWORD).status(), "locked: even the right password fails");

        String email = username + "@example.test";
        success(realm.graphql(SEND_RESET, Map.of("e", email)), "sendPasswordResetEmail");
        String token = Mailbox.token(realm.mailbox().await(email, 1).get(0), EmailRealm.APP_URL, "reset-password");
        assertTrue(success(realm.graphql(RESET, Map.of("t", token, "p", "New-pass-5678")), "passwordReset"));

        awaitTrue(() -> !realm.adminOk("GET", "/attack-detection/brute-force/users/" + id, null).path("disabled").asBoolean(),
                "lockout cleared by the reset");
        assertEquals(200, realm.passwordGrant(username, "New-pass-5678").status());
    }

    @Test
    void theEmailIsInTheUsersLanguage() {
        String username = unique("deutsch");
        String id = realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        realm.withRealmSettings(Map.of("internationalizationEnabled", true, "supportedLocales", List.of("en", "de"),
                "defaultLocale", "en"), () -> {
            // The user's language (an attribute the user profile keeps only while the realm is internationalized).
            JsonNode user = realm.user(id);
            ((com.fasterxml.jackson.databind.node.ObjectNode) user).putObject("attributes").putArray("locale").add("de");
            realm.adminOk("PUT", "/users/" + id, user);
            assertEquals("de", realm.user(id).path("attributes").path("locale").path(0).asText());
            success(realm.graphql(SEND_RESET, Map.of("e", email)), "sendPasswordResetEmail");
            MimeMessage message = realm.mailbox().await(email, 1).get(0);
            assertEquals("Passwort zur\u00fccksetzen", Mailbox.subject(message));
            assertTrue(Mailbox.text(message).contains("Der Link l\u00e4uft in"), Mailbox.text(message));
            Mailbox.token(message, EmailRealm.APP_URL, "reset-password");
        });
    }

    // ------------------------------------------------------------------------------------------------ verification

    @Test
    void signUpWithVerifyEmailKeepsTheUserSendsTheLinkAndVerifyingLetsItLogIn() {
        realm.withRealmSettings(Map.of("verifyEmail", true), () -> {
            String username = unique("verify");
            String email = username + "@example.test";
            JsonNode created = data(realm.graphql(CREATE, Map.of("u", username, "p", "Sign-up-pass-1", "e", email))).get("createUser");
            String id = created.get("user").get("id").asText();
            assertFalse(created.get("user").get("emailVerified").asBoolean());
            assertTrue(created.get("token").isNull(), created.toString());
            assertTrue(created.get("refreshToken").isNull(), created.toString());
            assertEquals("user", created.get("profile").get("role").asText());
            JsonNode stored = realm.user(id);
            assertTrue(stored.get("requiredActions").toString().contains("VERIFY_EMAIL"), stored.toString());
            assertNotEquals(200, realm.passwordGrant(username, "Sign-up-pass-1").status(), "not verified yet");

            MimeMessage message = realm.mailbox().await(email, 1).get(0);
            assertEquals("Verify your email address", Mailbox.subject(message));
            String token = Mailbox.token(message, EmailRealm.APP_URL, "verify-email");
            // The sign-up's email counts for the rate limit: an immediate resend sends nothing more.
            assertTrue(success(realm.graphql(RESEND, Map.of("e", email)), "resendActivationEmail"));

            assertTrue(success(realm.graphql(VERIFY, Map.of("t", token)), "verifyAccount"));
            JsonNode verified = realm.user(id);
            assertTrue(verified.get("emailVerified").asBoolean());
            assertFalse(verified.get("requiredActions").toString().contains("VERIFY_EMAIL"), verified.toString());
            assertEquals(200, realm.passwordGrant(username, "Sign-up-pass-1").status());
            error(realm.graphql(VERIFY, Map.of("t", token)), "INVALID_TOKEN");
            // A verification token is no reset token.
            error(realm.graphql(RESET, Map.of("t", token, "p", "New-pass-5678")), "INVALID_TOKEN");

            Harness.sleep(2000);
            assertEquals(1, realm.mailbox().messages(email).size(), "no second email within the minute");
            awaitTrue(() -> realm.events(id, "SEND_VERIFY_EMAIL").size() == 1, "SEND_VERIFY_EMAIL event");
            assertEquals(1, realm.events(id, "VERIFY_EMAIL").size());
        });
    }

    @Test
    void resendActivationEmailSendsANewLinkToAnUnverifiedUserOnly() {
        realm.withRealmSettings(Map.of("verifyEmail", true), () -> {
            String waiting = unique("waiting");
            String id = realm.createUser(waiting, PASSWORD, false);
            String verified = unique("verified");
            realm.createUser(verified, PASSWORD, true);

            assertTrue(success(realm.graphql(RESEND, Map.of("e", verified + "@example.test")), "resendActivationEmail"));
            assertTrue(success(realm.graphql(RESEND, Map.of("e", waiting + "@example.test")), "resendActivationEmail"));
            String token = Mailbox.token(realm.mailbox().await(waiting + "@example.test", 1).get(0), EmailRealm.APP_URL, "verify-email");
            assertTrue(success(realm.graphql(VERIFY, Map.of("t", token)), "verifyAccount"));
            assertTrue(realm.user(id).get("emailVerified").asBoolean());
            Harness.sleep(1500);
            assertEquals(0, realm.mailbox().messages(verified + "@example.test").size(), "an already verified user gets nothing");
        });
    }

    @Test
    void severalEmailMutationsInOneRequestGoThroughGraphqlJavaAlike() {
        String username = unique("both");
        realm.createUser(username, PASSWORD, true);
        String email = username + "@example.test";
        Http.Response r = realm.graphql("mutation($e: String!) { a: sendPasswordResetEmail(email: $e) { success } "
                + "b: resendActivationEmail(email: $e) { success } c: verifyAccount(token: \"x\") { success } }", Map.of("e", email));
        assertEquals(200, r.status(), r.toString());
        JsonNode json = r.json();
        assertTrue(json.at("/data/a/success").asBoolean(), r.body());
        assertTrue(json.at("/data/b/success").asBoolean(), r.body());
        assertTrue(json.at("/data/c").isNull(), r.body());
        assertEquals("INVALID_TOKEN", json.at("/errors/0/extensions/code").asText(), r.body());
        assertEquals("Reset your password", Mailbox.subject(realm.mailbox().await(email, 1).get(0)));
    }

    @Test
    void withoutAnSmtpServerTheRealmSaysSoWhateverTheAddress(KeycloakServer keycloak) {
        // The shared realm app has no SMTP server: a fact of the realm, told before any user is looked up.
        for (String email : List.of(unique("nobody") + "@example.test", "admin@example.test")) {
            Http.Response r = Http.json("POST", keycloak.realmUrl() + "/graphql", Map.of("query",
                    "mutation { sendPasswordResetEmail(email: \"" + email + "\") { success } }"), null);
            JsonNode error = error(r, "FORBIDDEN");
            assertTrue(error.get("message").asText().contains("SMTP"), r.body());
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static boolean success(Http.Response response, String field) {
        JsonNode result = data(response).get(field);
        assertNotNull(result, response.body());
        return result.get("success").asBoolean();
    }

    private static JsonNode data(Http.Response response) {
        assertEquals(200, response.status(), response.toString());
        JsonNode json = response.json();
        assertTrue(json.path("errors").isMissingNode(), "unexpected errors: " + response.body());
        return json.get("data");
    }

    private static JsonNode error(Http.Response response, String code) {
        assertEquals(200, response.status(), response.toString());
        JsonNode errors = response.json().get("errors");
        assertNotNull(errors, "expected errors: " + response.body());
        assertEquals(1, errors.size(), response.body());
        assertEquals(code, errors.get(0).path("extensions").path("code").asText(), response.body());
        for (String leak : List.of("Exception", "\tat ", "org.keycloak", "io.github")) {
            assertFalse(response.body().contains(leak), "response leaks '" + leak + "': " + response.body());
        }
        return errors.get(0);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return;
            }
            Harness.sleep(200);
        }
        throw new AssertionError("timed out waiting for: " + what);
    }
}
