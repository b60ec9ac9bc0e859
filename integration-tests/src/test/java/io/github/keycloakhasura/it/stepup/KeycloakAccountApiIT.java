package io.github.keycloakhasura.it.stepup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.graphql.TotpCodes;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.stepup.StepUpRealm.data;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keycloak's own Account REST API ({@code /realms/{realm}/account}) is public next to the GraphQL endpoint. An access
 * token of the export's {@code hasura-app} must not open it: a stolen one would otherwise remove the user's TOTP,
 * passkeys and personal access tokens through its deprecated credential removal, which asks for no proof beyond the
 * token, or end every session. The export's client asks for the realm's roles only (full scope off), so its tokens
 * carry no {@code account} audience and Keycloak refuses them there.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakAccountApiIT {

    private static StepUpRealm realm;

    @BeforeAll
    static void setUp(KeycloakServer server) throws IOException {
        realm = StepUpRealm.create(server, "it-account-api", (String) null);
    }

    @AfterAll
    static void tearDown() {
        if (realm != null) {
            realm.delete();
        }
    }

    private static List<String> credentialTypes(String userId) {
        List<String> types = new ArrayList<>();
        realm.admin.call("GET", "/users/" + userId + "/credentials", null).json().forEach(c -> types.add(c.path("type").asText()));
        return types;
    }

    @Test
    void aHasuraAppAccessTokenOpensNoPartOfKeycloaksAccountApi() {
        String[] user = realm.user();
        String elevated = realm.elevated(user[1]).get("token").asText();
        data(realm.createPat(elevated, "ci", null, 30));
        JsonNode login = realm.login(user[1], null);
        String bearer = login.get("token").asText();
        String secret = data(realm.graphql("mutation { totpSetup { secret } }", null, bearer)).at("/totpSetup/secret").asText();
        TotpCodes.awayFromStepEdge(30, 3);
        data(realm.graphql("mutation($c: String!) { totpConfirm(code: $c) { success } }", Map.of("c", TotpCodes.code(secret, 0)), bearer));
        List<String> before = credentialTypes(user[0]);
        assertTrue(before.contains("otp") && before.size() >= 3, before.toString());

        String stolen = realm.login(user[1], TotpCodes.code(secret, 1)).get("token").asText();
        List<Http.Response> answers = new ArrayList<>();
        answers.add(Http.json("GET", realm.url("/account/credentials"), null, stolen));
        for (JsonNode credential : realm.admin.call("GET", "/users/" + user[0] + "/credentials", null).json()) {
            answers.add(Http.json("DELETE", realm.url("/account/credentials/" + credential.get("id").asText()), null, stolen));
        }
        answers.add(Http.json("DELETE", realm.url("/account/sessions"), null, stolen));
        answers.add(Http.json("POST", realm.url("/account/"), Map.of("firstName", "Mallory", "email", "mallory@example.test"), stolen));
        assertAll(answers.stream().map(r -> () -> assertEquals(401, r.status(), r.toString())));
        assertEquals(before, credentialTypes(user[0]), "no credential removed");
        assertTrue(!realm.refresh(login.get("refreshToken").asText()).get("token").asText().isEmpty(), "no session ended");
    }
}
