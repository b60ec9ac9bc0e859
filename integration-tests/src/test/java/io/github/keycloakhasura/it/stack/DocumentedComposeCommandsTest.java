package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.github.keycloakhasura.it.stack.StackFiles.composeConfig;
import static io.github.keycloakhasura.it.stack.StackFiles.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code docker compose ... up} command the project documents (README.md and the compose files' own comments),
 * read from those files, merged by {@code docker-compose config} as compose would run it: Hasura has exactly one auth
 * mode (a Hasura without one answers every app request 401; one with two refuses to start), nothing is published
 * beyond 127.0.0.1, and a command naming docker-compose.prod.yml gets the production guards.
 */
class DocumentedComposeCommandsTest {

    private static final Pattern COMMAND = Pattern.compile("docker[ -]compose((?:[ \\t]+-f[ \\t]+\\S+)*)[ \\t]+up\\b");
    private static final Pattern FILE = Pattern.compile("-f[ \\t]+(\\S+)");
    private static final String PROD = "docker-compose.prod.yml";

    /** The -f file lists of every documented {@code up} command (empty: compose's own default files). */
    static Map<List<String>, String> documentedCommands() throws IOException {
        Map<List<String>, String> commands = new LinkedHashMap<>();
        List<Path> sources = new ArrayList<>(List.of(root().resolve("README.md")));
        try (Stream<Path> files = Files.list(root())) {
            files.filter(p -> p.getFileName().toString().matches("docker-compose.*\\.ya?ml")).sorted().forEach(sources::add);
        }
        for (Path source : sources) {
            Matcher m = COMMAND.matcher(Files.readString(source));
            while (m.find()) {
                List<String> files = new ArrayList<>();
                Matcher f = FILE.matcher(m.group(1));
                while (f.find()) {
                    files.add(f.group(1));
                }
                commands.putIfAbsent(files, root().relativize(source) + ": " + m.group());
            }
        }
        return commands;
    }

    @Test
    void theDocumentedCommandsIncludeDevWebhookAndProduction() throws IOException {
        Set<List<String>> commands = documentedCommands().keySet();
        assertTrue(commands.contains(List.of()), "plain `docker compose up`: " + commands);
        assertTrue(commands.stream().anyMatch(files -> files.contains("docker-compose.webhook.yml")), commands.toString());
        assertTrue(commands.stream().anyMatch(files -> files.contains(PROD)), commands.toString());
    }

    @Test
    void everyDocumentedCommandStartsHasuraWithExactlyOneAuthMode() throws IOException {
        for (Map.Entry<List<String>, String> command : documentedCommands().entrySet()) {
            JsonNode env = composeConfig(command.getKey().toArray(String[]::new)).at("/services/graphql-engine/environment");
            boolean jwt = env.has("HASURA_GRAPHQL_JWT_SECRET");
            boolean hook = env.has("HASURA_GRAPHQL_AUTH_HOOK");
            assertTrue(jwt ^ hook, command.getValue() + ": Hasura needs exactly one auth mode (JWT secret or auth hook): " + env);
            assertTrue(env.path("HASURA_GRAPHQL_ADMIN_SECRET").asText().length() > 0, command.getValue());
            if (hook) {
                assertFalse(env.has("HASURA_GRAPHQL_UNAUTHORIZED_ROLE"), command.getValue() + ": Hasura refuses a hook with an unauthorized role");
            } else {
                JsonNode secret = StackFiles.JSON.readTree(env.get("HASURA_GRAPHQL_JWT_SECRET").asText());
                assertTrue(secret.hasNonNull("audience"), command.getValue() + ": " + secret);
                assertTrue(env.has("HASURA_GRAPHQL_UNAUTHORIZED_ROLE"), command.getValue() + ": sign-up and login need the anonymous role");
            }
        }
    }

    @Test
    void everyDocumentedCommandPublishesPortsOnLoopbackOnly() throws IOException {
        for (Map.Entry<List<String>, String> command : documentedCommands().entrySet()) {
            JsonNode services = composeConfig(command.getKey().toArray(String[]::new)).get("services");
            for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> service = it.next();
                for (JsonNode port : service.getValue().path("ports")) {
                    // docker-compose v1 prints "127.0.0.1:8080:8080/tcp", compose v2 {host_ip: 127.0.0.1, ...}
                    String hostIp = port.isTextual() ? hostIp(port.asText()) : port.path("host_ip").asText("");
                    assertEquals("127.0.0.1", hostIp, command.getValue() + ": " + service.getKey() + " publishes " + port
                            + " on every interface; only the reverse proxy on this host may reach it");
                }
            }
        }
    }

    @Test
    void productionCommandsRunKeycloakAsBuiltBehindTheGuards() throws IOException {
        for (Map.Entry<List<String>, String> command : documentedCommands().entrySet()) {
            if (!command.getKey().contains(PROD)) {
                continue;
            }
            String where = command.getValue();
            JsonNode config = composeConfig(command.getKey().toArray(String[]::new));
            JsonNode services = config.get("services");
            JsonNode keycloak = services.get("keycloak");
            assertEquals("start", keycloak.at("/command/0").asText(), where);
            JsonNode env = keycloak.get("environment");
            // X-Forwarded-* only from the proxy: the gateway of the stack's network, where loopback connections come from.
            String gateway = config.at("/networks/default/ipam/config/0/gateway").asText();
            assertFalse(gateway.isEmpty(), where + ": the default network needs a fixed gateway");
            assertEquals(gateway, env.path("KC_PROXY_TRUSTED_ADDRESSES").asText(), where);
            assertEquals(config.at("/services/production-check/environment/APP_URL").asText(),
                    env.path("KC_SPI_REALM_RESTAPI_EXTENSION__GRAPHQL__APP_URL").asText(), where);
            assertEquals("keycloak", env.path("KC_DB_USERNAME").asText(), where);
            assertTrue(services.at("/graphql-engine/environment/HASURA_GRAPHQL_DATABASE_URL").asText().startsWith("postgres://hasura:"), where);
            // Nothing starts before the placeholder check has passed.
            Set<String> guarded = new LinkedHashSet<>();
            services.fieldNames().forEachRemaining(guarded::add);
            guarded.remove("production-check");
            for (String name : guarded) {
                assertEquals("service_completed_successfully",
                        services.at("/" + name + "/depends_on/production-check/condition").asText(), where + ": " + name);
            }
            // The check sees every secret the stack uses.
            JsonNode checked = services.at("/production-check/environment");
            for (String secret : List.of("POSTGRES_PASSWORD", "KEYCLOAK_DB_PASSWORD", "HASURA_DB_PASSWORD",
                    "KEYCLOAK_ADMIN_PASSWORD", "HASURA_GRAPHQL_ADMIN_SECRET", "KEYCLOAK_PUBLIC_URL", "APP_URL")) {
                assertTrue(checked.has(secret), where + ": production-check does not see " + secret);
            }
        }
    }

    private static String hostIp(String shortSyntax) {
        String[] parts = shortSyntax.split(":");
        return parts.length == 3 ? parts[0] : "";
    }
}
