package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.EnumerationTiming;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Mailbox;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * createUser in a realm that verifies email does not tell whether an address has an account: a sign-up with a
 * registered address answers exactly as one with a new address (the same fields and values but for the new user's
 * id, name, address and time), stores nobody, and emails the address's owner a notice instead of a verification
 * link (Keycloak email template, English and German, at most one per interval).
 */
@ExtendWith(KeycloakExtension.class)
class SignUpExistingAddressIT {

    static final String SIGN_UP = EnumerationTiming.SIGN_UP;
    static final String PASSWORD = "Owner-pass-1234";
    static final String NOTICE_SUBJECT = "Someone tried to sign up with your email address";

    @RegisterExtension
    static final EmailRealm realm = new EmailRealm();

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        realm.adminOk("PUT", "", Map.of("verifyEmail", true));
    }

    @Test
    void aRegisteredAddressGetsTheAnswerOfANewOneAndItsOwnerANotice() {
        String owner = unique("owner");
        String ownerId = realm.createUser(owner, PASSWORD, true);
        String ownerEmail = owner + "@example.test";

        String taker = unique("taker");
        Http.Response taken = realm.graphql(SIGN_UP, Map.of("u", taker, "p", "Sign-up-pass-1", "e", ownerEmail.toUpperCase()));
        String fresh = unique("fresh");
        String freshEmail = fresh + "@example.test";
        Http.Response created = realm.graphql(SIGN_UP, Map.of("u", fresh, "p", "Sign-up-pass-1", "e", freshEmail));

        assertEquals(200, taken.status(), taken.toString());
        assertFalse(taken.body().contains("errors"), taken.body());
        assertEquals(normalized(created), normalized(taken), "the same answer but for id, names and time");
        JsonNode user = taken.json().at("/data/createUser/user");
        assertEquals(taker.toLowerCase(), user.get("username").asText());
        assertEquals(ownerEmail.toLowerCase(), user.get("email").asText());
        assertNotEquals(ownerId, user.get("id").asText());
        assertTrue(user.get("roles").toString().contains("\"user\""), user.toString());
        assertEquals("user", taken.json().at("/data/createUser/profile/role").asText(), taken.body());

        // Nobody was stored under the taker's name; the owner's account is untouched.
        assertEquals("[]", realm.adminOk("GET", "/users?exact=true&username=" + taker, null).toString());
        assertEquals(1, realm.adminOk("GET", "/users?exact=true&email=" + ownerEmail, null).size());
        assertEquals(200, realm.passwordGrant(owner, PASSWORD).status());

        // The owner is told, with no link that does anything but open the app; the new address gets its verification.
        MimeMessage notice = realm.mailbox().await(ownerEmail, 1).get(0);
        assertEquals(NOTICE_SUBJECT, Mailbox.subject(notice));
        String text = Mailbox.text(notice);
        assertTrue(text.contains("no new account was created") && text.contains(EmailRealm.APP_URL), text);
        assertFalse(text.contains("token="), text);
        assertEquals("Verify your email address", Mailbox.subject(realm.mailbox().await(freshEmail, 1).get(0)));

        // A second attempt within the interval: the same answer, no second notice.
        Http.Response again = realm.graphql(SIGN_UP, Map.of("u", unique("taker"), "p", "Sign-up-pass-1", "e", ownerEmail));
        assertEquals(normalized(created), normalized(again));
        Harness.sleep(3000);
        assertEquals(1, realm.mailbox().messages(ownerEmail).size(), "one notice per interval");
    }

    @Test
    void aRefusedSignUpAnswersAlikeForARegisteredAndANewAddress() {
        String owner = unique("policy-owner");
        realm.createUser(owner, PASSWORD, true);
        // The password policy, checked after the profile.
        Http.Response taken = realm.graphql(SIGN_UP, Map.of("u", unique("p"), "p", "short", "e", owner + "@example.test"));
        Http.Response fresh = realm.graphql(SIGN_UP, Map.of("u", unique("p"), "p", "short", "e", unique("p") + "@example.test"));
        assertEquals("BAD_USER_INPUT", taken.json().at("/errors/0/extensions/code").asText(), taken.body());
        assertEquals(fresh.body(), taken.body());
        // Another profile error beside the address: that error alone, as for a new address.
        String badName = "bad<name>" + unique("x");
        Http.Response takenBadName = realm.graphql(SIGN_UP, Map.of("u", badName, "p", "Sign-up-pass-1", "e", owner + "@example.test"));
        Http.Response freshBadName = realm.graphql(SIGN_UP, Map.of("u", badName, "p", "Sign-up-pass-1", "e", unique("p") + "@example.test"));
        assertEquals("BAD_USER_INPUT", takenBadName.json().at("/errors/0/extensions/code").asText(), takenBadName.body());
        assertFalse(takenBadName.body().contains("Email already exists"), takenBadName.body());
        assertEquals(freshBadName.body(), takenBadName.body());
        Harness.sleep(2500);
        assertEquals(0, realm.mailbox().messages(owner + "@example.test").size(), "a refused sign-up sends nothing");
    }

    @Test
    void policiesThatReadTheUsersCredentialsApplyToTheStandInToo() {
        String owner = unique("history-owner");
        realm.createUser(owner, PASSWORD, true);
        realm.withRealmSettings(Map.of("passwordPolicy", "length(8) and notUsername and notEmail and passwordHistory(3) "
                + "and passwordAge(2)"), () -> {
            Http.Response taken = realm.graphql(SIGN_UP, Map.of("u", unique("h"), "p", "Sign-up-pass-1", "e", owner + "@example.test"));
            Http.Response fresh = realm.graphql(SIGN_UP, Map.of("u", unique("h"), "p", "Sign-up-pass-1", "e", unique("h") + "@example.test"));
            assertEquals(normalized(fresh), normalized(taken));
            // notEmail needs the user in hand: refused alike.
            String takenEmail = owner + "@example.test";
            Http.Response takenAsPassword = realm.graphql(SIGN_UP, Map.of("u", unique("h"), "p", takenEmail, "e", takenEmail));
            String freshEmail = unique("h") + "@example.test";
            Http.Response freshAsPassword = realm.graphql(SIGN_UP, Map.of("u", unique("h"), "p", freshEmail, "e", freshEmail));
            assertEquals("BAD_USER_INPUT", takenAsPassword.json().at("/errors/0/extensions/code").asText(), takenAsPassword.body());
            assertEquals(freshAsPassword.json().get("errors").get(0).get("message"), takenAsPassword.json().get("errors").get(0).get("message"));
        });
    }

    @Test
    void theNoticeIsInTheOwnersLanguage() {
        String owner = unique("besitzer");
        String id = realm.createUser(owner, PASSWORD, true);
        realm.withRealmSettings(Map.of("internationalizationEnabled", true, "supportedLocales", List.of("en", "de"),
                "defaultLocale", "en"), () -> {
            JsonNode user = realm.user(id);
            ((ObjectNode) user).putObject("attributes").putArray("locale").add("de");
            realm.adminOk("PUT", "/users/" + id, user);
            Http.Response r = realm.graphql(SIGN_UP, Map.of("u", unique("taker"), "p", "Sign-up-pass-1", "e", owner + "@example.test"));
            assertFalse(r.body().contains("errors"), r.body());
            MimeMessage notice = realm.mailbox().await(owner + "@example.test", 1).get(0);
            assertEquals("Registrierung mit Ihrer E-Mail-Adresse", Mailbox.subject(notice));
            assertTrue(Mailbox.text(notice).contains("kein neues angelegt"), Mailbox.text(notice));
        });
    }

    @Test
    void withoutEmailVerificationTheRegisteredAddressIsRefusedAsOnKeycloaksPage() {
        String owner = unique("plain-owner");
        realm.createUser(owner, PASSWORD, true);
        realm.withRealmSettings(Map.of("verifyEmail", false), () -> {
            Http.Response r = realm.graphql(SIGN_UP, Map.of("u", unique("taker"), "p", "Sign-up-pass-1", "e", owner + "@example.test"));
            assertEquals("BAD_USER_INPUT", r.json().at("/errors/0/extensions/code").asText(), r.body());
            assertTrue(r.body().contains("Email already exists"), r.body());
        });
        Harness.sleep(2000);
        assertEquals(0, realm.mailbox().messages(owner + "@example.test").size());
    }

    /** The answer without what differs between two new users: id, username, email, dateJoined. */
    private static String normalized(Http.Response r) {
        assertEquals(200, r.status(), r.toString());
        JsonNode json = r.json();
        assertTrue(json.path("errors").isMissingNode(), "unexpected errors: " + r.body());
        ObjectNode user = (ObjectNode) json.at("/data/createUser/user");
        for (String field : List.of("id", "username", "email", "dateJoined")) {
            assertTrue(user.hasNonNull(field), r.body());
            user.put(field, "<" + field + ">");
        }
        return json.toString();
    }
}
