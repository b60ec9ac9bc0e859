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

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A successful tokenAuth never makes the next login of the same user fail. Keycloak's blocking brute-force protector
 * (DefaultBlockingBruteForceProtector) marks a user "login in progress" until both the login's transaction and its
 * off-thread brute-force bookkeeping have ended, and refuses another login of the user meanwhile as
 * {@code user_temporarily_disabled} ("Invalid user credentials"), with no failure recorded. tokenAuth answers only
 * once that mark is gone, so a client that logs the same user in again as soon as it has its tokens is never refused.
 * The race needs the bookkeeping thread to be slower than a round trip, so the test repeats back-to-back logins of
 * new users (rounds: {@code -Dback-to-back.rounds}).
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlBackToBackLoginIT {

    static final String PASSWORD = "Back-to-back-pass-1";

    static KeycloakAdmin admin;
    static AccountCalls calls;
    static Tokens tokens;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        calls = new AccountCalls(new GraphqlClient(keycloak), admin);
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
}
