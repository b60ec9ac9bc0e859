package io.github.keycloakhasura.it.stepup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;

import static io.github.keycloakhasura.it.stepup.StepUpRealm.ELEVATED;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.NS;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.PASSWORD;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.data;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The mapper option {@code hasura.elevation-window} (here 3 s): tokens refreshed within it stay elevated, a refresh
 * after it drops {@code x-hasura-auth-elevated}; token, webhook and whoami judge each token by its issue time, so they
 * agree before and after.
 */
@ExtendWith(KeycloakExtension.class)
class ElevationWindowIT {

    private static final int WINDOW = 3;
    private static StepUpRealm realm;

    @BeforeAll
    static void setUp(KeycloakServer server) throws IOException {
        realm = StepUpRealm.create(server, "it-elevation-window", String.valueOf(WINDOW));
    }

    @AfterAll
    static void tearDown() {
        if (realm != null) {
            realm.delete();
        }
    }

    @Test
    void aRefreshWithinTheWindowKeepsTheClaimAndOneAfterItDropsIt() {
        String[] user = realm.user();
        JsonNode login = realm.login(user[1], null);
        JsonNode elevated = data(realm.elevate(login.get("refreshToken").asText(), PASSWORD, null, null)).get("elevate");
        JsonNode within = realm.refresh(elevated.get("refreshToken").asText());
        assertEquals(user[0], claims(within).path(ELEVATED).asText(), "a refresh within the window: " + claims(within));

        Harness.sleep((WINDOW + 2) * 1000L);
        JsonNode after = realm.refresh(within.get("refreshToken").asText());
        String afterToken = after.get("token").asText();
        Http.Response webhookAfter = realm.webhook(afterToken);
        JsonNode whoamiAfter = data(realm.graphql("{ whoami { hasura } }", null, afterToken)).at("/whoami/hasura");
        // The token issued within the window is still elevated wherever it is shown (Hasura's JWT mode would see the
        // claim in it until it expires): the webhook agrees with the token.
        Http.Response webhookWithin = realm.webhook(within.get("token").asText());
        assertAll(
                () -> assertFalse(claims(after).has(ELEVATED), "a refresh after the window: " + claims(after)),
                () -> assertFalse(webhookAfter.json().has("X-Hasura-Auth-Elevated"), "webhook after: " + webhookAfter),
                () -> assertEquals(claims(after), whoamiAfter, "whoami after"),
                () -> assertEquals(user[0], webhookWithin.json().path("X-Hasura-Auth-Elevated").asText(),
                        "webhook of the token issued within the window: " + webhookWithin));
    }

    private static JsonNode claims(JsonNode tokens) {
        return Jwt.payload(tokens.get("token").asText()).get(NS);
    }
}
