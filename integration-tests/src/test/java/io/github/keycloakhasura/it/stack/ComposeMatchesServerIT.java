package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The HASURA_GRAPHQL_JWT_SECRET written into docker-compose.yml is what the real server's
 * {@code /hasura/jwt-config} generates for the imported realm, except for the host names (compose network vs. test port).
 */
@ExtendWith(KeycloakExtension.class)
class ComposeMatchesServerIT {

    @Test
    void composeJwtSecretIsTheGeneratedOneUpToHostNames(KeycloakServer server) {
        Http.Response response = Http.get(server.realmUrl() + "/hasura/jwt-config", null);
        assertEquals(200, response.status(), response.toString());
        JsonNode generated = response.json();
        JsonNode compose = StackFiles.composeJwtSecret();

        assertEquals(names(generated), names(compose));
        for (String field : names(generated)) {
            String expected = generated.get(field).asText();
            String actual = compose.get(field).asText();
            if (field.equals("issuer") || field.equals("jwk_url")) {
                assertEquals(URI.create(expected).getPath(), URI.create(actual).getPath(), field);
            } else {
                assertEquals(expected, actual, field);
            }
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
