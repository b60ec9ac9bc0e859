package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** createUser: self sign-up under the realm's rules, then tokens. */
@ExtendWith(KeycloakExtension.class)
class GraphqlSignUpIT {

    static final String NS = GraphqlAuthIT.NS;
    static final String CREATE = "mutation($u: String!, $p: String!, $e: String!) { createUser(username: $u, password: $p, "
            + "email: $e) { user { id username email } profile { role } token refreshToken } }";

    static KeycloakAdmin admin;
    static Tokens tokens;
    static GraphqlClient graphql;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        tokens = new Tokens(keycloak);
        graphql = new GraphqlClient(keycloak);
    }

    static Http.Response create(String username, String password, String email) {
        return graphql.post(CREATE, Map.of("u", username, "p", password, "e", email), null);
    }

    static JsonNode findUser(String username) {
        return admin.call("GET", "/users?exact=true&username=" + username, null).json();
    }

    @Test
    void seedCreateUserRegistersLogsInAndGrantsTheDefaultRole() {
        String username = unique("signup");
        // The seed's request, literally.
        JsonNode result = data(graphql.post("mutation { createUser(username: \"" + username + "\", password: \"Sign-up-pass-1\", "
                + "email: \"" + username + "@example.test\") { user { id username email } profile { role } token refreshToken } }"))
                .get("createUser");
        JsonNode user = result.get("user");
        assertEquals(username, user.get("username").asText());
        assertEquals(username + "@example.test", user.get("email").asText());
        assertEquals("user", result.get("profile").get("role").asText());
        JsonNode payload = Jwt.payload(result.get("token").asText());
        assertEquals(user.get("id").asText(), payload.get("sub").asText());
        assertEquals(user.get("id").asText(), payload.get(NS).get("x-hasura-user-id").asText());
        assertEquals("Refresh", Jwt.payload(result.get("refreshToken").asText()).get("typ").asText());

        JsonNode stored = findUser(username);
        assertEquals(1, stored.size());
        assertTrue(stored.get(0).get("enabled").asBoolean());
        JsonNode roles = admin.call("GET", "/users/" + user.get("id").asText() + "/role-mappings/realm/composite", null).json();
        assertTrue(roles.findValuesAsText("name").contains("user"), roles.toString());
        // The password really is the user's Keycloak password.
        assertEquals(200, tokens.passwordGrant("hasura-app", username, "Sign-up-pass-1", null).status());
    }

    @Test
    void optionalNamesAreStored() {
        String username = unique("named");
        data(graphql.post("mutation($u: String!, $e: String!) { createUser(username: $u, password: \"Sign-up-pass-1\", "
                + "email: $e, firstName: \"Ada\", lastName: \"Lovelace\") { user { id } } }",
                Map.of("u", username, "e", username + "@example.test"), null));
        JsonNode stored = findUser(username).get(0);
        assertEquals("Ada", stored.get("firstName").asText());
        assertEquals("Lovelace", stored.get("lastName").asText());
    }

    @Test
    void weakPasswordsAreRefusedByTheRealmPolicy() {
        String username = unique("weak");
        JsonNode tooShort = error(create(username, "short", username + "@example.test"), "BAD_USER_INPUT");
        assertTrue(tooShort.get("message").asText().toLowerCase().contains("length"), tooShort.toString());
        assertEquals("password", tooShort.get("extensions").get("fields").get(0).get("field").asText());
        JsonNode sameAsUsername = error(create(username, username, username + "@example.test"), "BAD_USER_INPUT");
        assertTrue(sameAsUsername.get("message").asText().toLowerCase().contains("username"), sameAsUsername.toString());
        JsonNode sameAsEmail = error(create(username, username + "@example.test", username + "@example.test"), "BAD_USER_INPUT");
        assertTrue(sameAsEmail.get("message").asText().toLowerCase().contains("email"), sameAsEmail.toString());
        assertEquals(0, findUser(username).size(), "nothing was created");
    }

    @Test
    void duplicateUsernamesAndEmailsAreRefused() {
        String username = unique("dup");
        data(create(username, "Sign-up-pass-1", username + "@example.test"));
        JsonNode sameName = error(create(username, "Sign-up-pass-1", unique("other") + "@example.test"), "BAD_USER_INPUT");
        assertTrue(sameName.get("message").asText().contains("sername"), sameName.toString());
        String other = unique("dup2");
        JsonNode sameEmail = error(create(other, "Sign-up-pass-1", username + "@example.test"), "BAD_USER_INPUT");
        assertTrue(sameEmail.get("message").asText().toLowerCase().contains("email"), sameEmail.toString());
        assertEquals(0, findUser(other).size());
        assertTrue(create(unique("x"), "Sign-up-pass-1", "not-an-email").json().get("errors").get(0)
                .get("extensions").get("code").asText().equals("BAD_USER_INPUT"));
    }

    @Test
    void registrationDisabledMeansForbidden() {
        admin.call("PUT", "", Map.of("registrationAllowed", false));
        String username = unique("closed");
        try {
            Http.Response r = create(username, "Sign-up-pass-1", username + "@example.test");
            error(r, "FORBIDDEN");
            assertTrue(r.json().get("data").get("createUser").isNull());
        } finally {
            admin.call("PUT", "", Map.of("registrationAllowed", true));
        }
        assertEquals(0, findUser(username).size());
    }

    @Test
    void whenKeycloakWouldNotLogTheNewUserInNothingIsKept() {
        // With "verify email" on, Keycloak refuses the password grant until the email is verified; createUser would
        // keep the user and email a verification link (AccountEmailIT), but realm app has no SMTP server: refused.
        admin.call("PUT", "", Map.of("verifyEmail", true));
        String username = unique("unverified");
        try {
            error(create(username, "Sign-up-pass-1", username + "@example.test"), "FORBIDDEN");
        } finally {
            admin.call("PUT", "", Map.of("verifyEmail", false));
        }
        assertEquals(0, findUser(username).size(), "the registration was rolled back");
        // and the same sign-up works once the realm allows it
        data(create(username, "Sign-up-pass-1", username + "@example.test"));
    }

    @Test
    void eachMutationIsItsOwnTransaction() {
        // One createUser per request (GraphqlBruteForceIT); a failing mutation beside it does not undo it.
        String good = unique("tx-good");
        Http.Response r = graphql.post("mutation { a: createUser(username: \"" + good + "\", password: \"Sign-up-pass-1\", email: \""
                + good + "@example.test\") { user { id } } b: revokeToken(refreshToken: \"not-a-token\") { revoked } }");
        JsonNode json = r.json();
        assertTrue(json.get("data").get("a").get("user").get("id").isTextual(), r.body());
        assertTrue(json.get("data").get("b").isNull(), r.body());
        assertEquals(1, findUser(good).size(), "the successful sign-up is kept");
    }
}
