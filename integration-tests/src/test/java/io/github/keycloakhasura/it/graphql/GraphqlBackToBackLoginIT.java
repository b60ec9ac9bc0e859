package io.github.keycloakhasura.it.graphql;

import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A successful tokenAuth or createUser never makes the next login of the same user fail. Keycloak's blocking brute-force protector
 * (DefaultBlockingBruteForceProtector) marks a user "login in progress" until both the login's transaction and its
 * off-thread brute-force bookkeeping have ended, and refuses another login of the user meanwhile as
 * {@code user_temporarily_disabled} ("Invalid user credentials"), with no failure recorded. tokenAuth answers only
 * once that mark is gone, so a client that logs the same user in again as soon as it has its tokens is never refused.
 * The race needs the bookkeeping thread to be slower than a round trip, so the test repeats back-to-back logins of
 * new users (rounds: {@code -Dback-to-back.rounds}). Without the wait (LoginRelease) about one login in a hundred
 * was refused on a loaded machine. The test server inherits the environment, so
 * {@code KC_LOG_LEVEL=INFO,org.keycloak.events:debug,io.github.keycloakhasura.graphql.keycloak.LoginRelease:debug}
 * shows the LOGIN / LOGIN_ERROR events and each wait ("login answer waited N ms") in integration-tests/target/keycloak-server.log.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlBackToBackLoginIT {

    static final String PASSWORD = "Back-to-back-pass-1";

    static KeycloakAdmin admin;
    static GraphqlClient graphql;
    static AccountCalls calls;
    static Tokens tokens;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        graphql = new GraphqlClient(keycloak);
        calls = new AccountCalls(graphql, admin);
        tokens = new Tokens(keycloak);
    }

    @Test
    void backToBackLoginsOfANewUserViaTokenAuthAndTheTokenEndpointAllSucceed() {
        int rounds = Integer.getInteger("back-to-back.rounds", 25);
        List<String> refused = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String username = admin.newUser("back-to-back", PASSWORD);
            for (int i = 1; i <= 3; i++) {
                Http.Response login = calls.login(username, PASSWORD, null, null);
                if (login.status() != 200 || !login.json().path("errors").isMissingNode()) {
                    refused.add("round " + round + ", tokenAuth " + i + ": " + login);
                }
            }
            Http.Response nativeLogin = tokens.passwordGrant("hasura-app", username, PASSWORD, null);
            if (nativeLogin.status() != 200) {
                refused.add("round " + round + ", token endpoint after tokenAuth: " + nativeLogin);
            }
        }
        assertEquals(List.of(), refused, "logins refused out of " + rounds + " rounds");
    }

    @Test
    void aLoginRightAfterCreateUserWithTokensSucceeds() {
        int rounds = Integer.getInteger("back-to-back.rounds", 25);
        List<String> refused = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String username = unique("b2b-signup");
            Http.Response created = graphql.post(GraphqlSignUpIT.CREATE,
                    Map.of("u", username, "p", PASSWORD, "e", username + "@example.test"), null);
            assertTrue(GraphqlClient.data(created).get("createUser").hasNonNull("token"), created.toString());
            Http.Response login = round % 2 == 0
                    ? calls.login(username, PASSWORD, null, null)
                    : tokens.passwordGrant("hasura-app", username, PASSWORD, null);
            if (login.status() != 200 || !login.json().path("errors").isMissingNode()) {
                refused.add("round " + round + ", " + (round % 2 == 0 ? "tokenAuth" : "token endpoint") + ": " + login);
            }
        }
        assertEquals(List.of(), refused, "logins right after createUser refused out of " + rounds + " rounds");
    }
}
