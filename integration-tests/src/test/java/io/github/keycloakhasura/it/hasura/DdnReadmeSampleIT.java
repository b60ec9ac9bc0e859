package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AuthConfig the README shows in its Hasura DDN section is what the real server's {@code /hasura/ddn-auth-config}
 * answers for the imported realm, up to the hosts of the URLs (the README's engine reaches Keycloak as
 * {@code keycloak:8080}, the test as a free port).
 */
@ExtendWith(KeycloakExtension.class)
class DdnReadmeSampleIT {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode readmeSample() throws Exception {
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        int section = readme.indexOf("#### Hasura DDN");
        assertTrue(section >= 0, "README lost its DDN section");
        int start = readme.indexOf("```yaml\n", section);
        int end = readme.indexOf("\n```", start + 8);
        return YAML.readTree(readme.substring(start + 8, end));
    }

    /** The URLs' paths only: the hosts depend on where the endpoint was called from. */
    private static JsonNode withoutHosts(JsonNode authConfig) {
        JsonNode copy = authConfig.deepCopy();
        ObjectNode jwt = (ObjectNode) copy.at("/definition/mode/jwt");
        ObjectNode key = (ObjectNode) jwt.get("key");
        key.put("jwkFromUrl", URI.create(key.get("jwkFromUrl").asText()).getPath());
        jwt.put("issuer", URI.create(jwt.get("issuer").asText()).getPath());
        return copy;
    }

    @Test
    void theReadmeSampleIsWhatTheServerAnswers(KeycloakServer server) throws Exception {
        Http.Response response = Http.get(server.realmUrl() + "/hasura/ddn-auth-config?format=yaml", null);
        assertEquals(200, response.status(), response.toString());
        JsonNode served = YAML.readTree(response.body());
        JsonNode sample = readmeSample();
        assertEquals(withoutHosts(served), withoutHosts(sample));
        assertEquals("http://keycloak:8080/realms/app/hasura/jwks", sample.at("/definition/mode/jwt/key/jwkFromUrl").asText(),
                "the sample is fetched from the stack's network, as the README says");
    }
}
