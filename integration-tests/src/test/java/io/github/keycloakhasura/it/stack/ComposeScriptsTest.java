package io.github.keycloakhasura.it.stack;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.github.keycloakhasura.it.stack.StackFiles.compose;
import static io.github.keycloakhasura.it.stack.StackFiles.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell the compose stack runs, run here: Keycloak's health check and the production check of .env. */
class ComposeScriptsTest {

    private static final String DOWN_WITH_AN_UP_CHECK = """
            {
                "status": "DOWN",
                "checks": [
                    {
                        "name": "Keycloak database connections async health check",
                        "status": "UP"
                    },
                    {
                        "name": "Keycloak cluster health check",
                        "status": "DOWN"
                    }
                ]
            }""";
    private static final String UP = """
            {
                "status": "UP",
                "checks": [
                    {
                        "name": "Keycloak database connections async health check",
                        "status": "UP"
                    }
                ]
            }""";

    private record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> !k.equals("PATH"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "hung: " + String.join(" ", command));
        return new Result(p.exitValue(), output);
    }

    /** The health check of docker-compose.yml's keycloak service, run by bash (the image's sh) against a server. */
    private static int healthcheckAgainst(int status, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health/ready", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        try {
            List<String> test = StackFiles.YAML.convertValue(compose().at("/services/keycloak/healthcheck/test"),
                    StackFiles.YAML.getTypeFactory().constructCollectionType(List.class, String.class));
            assertEquals("CMD-SHELL", test.get(0));
            String command = test.get(1).replace("$$", "$"); // compose's escape for a literal $
            assertTrue(command.contains("/dev/tcp/127.0.0.1/9000"), command);
            command = command.replace("/dev/tcp/127.0.0.1/9000", "/dev/tcp/127.0.0.1/" + server.getAddress().getPort());
            return run(Map.of(), "bash", "-c", command).exit();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void keycloakIsHealthyOnlyWhenTheReadinessProbeAnswersUp() throws Exception {
        assertEquals(0, healthcheckAgainst(200, UP));
        assertNotEquals(0, healthcheckAgainst(503, DOWN_WITH_AN_UP_CHECK), "a DOWN answer with an UP sub-check is not healthy");
        assertNotEquals(0, healthcheckAgainst(404, "{\"status\": \"UP\"}"));
    }

    private static Map<String, String> envExample() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(root().resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return env;
    }

    private static Map<String, String> productionEnv() throws IOException {
        Map<String, String> env = envExample();
        SecureRandom random = new SecureRandom();
        for (String name : env.keySet()) {
            if (name.endsWith("PASSWORD") || name.endsWith("SECRET")) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                env.put(name, HexFormat.of().formatHex(bytes));
            }
        }
        env.put("KEYCLOAK_PUBLIC_URL", "https://auth.example.com");
        env.put("APP_URL", "https://app.example.com");
        return env;
    }

    private static Result productionCheck(Map<String, String> env) throws Exception {
        return run(env, "sh", "docker/check-production-env.sh");
    }

    @Test
    void productionCheckRefusesEveryPlaceholderOfEnvExample() throws Exception {
        Result result = productionCheck(envExample());
        assertEquals(1, result.exit(), result.output());
        for (Map.Entry<String, String> e : envExample().entrySet()) {
            if (e.getValue().contains("change-me")) {
                assertTrue(result.output().contains(e.getKey() + " is still the placeholder"), e.getKey() + ":\n" + result.output());
            }
        }
        assertTrue(result.output().contains("KEYCLOAK_PUBLIC_URL must be an https:// URL"), result.output());
        assertTrue(result.output().contains("APP_URL must be an https:// URL"), result.output());
    }

    @Test
    void productionCheckAcceptsRealSecretsAndRefusesEachWeakOne() throws Exception {
        Result good = productionCheck(productionEnv());
        assertEquals(0, good.exit(), good.output());
        for (String name : List.of("POSTGRES_PASSWORD", "KEYCLOAK_DB_PASSWORD", "HASURA_DB_PASSWORD",
                "KEYCLOAK_ADMIN_PASSWORD", "HASURA_GRAPHQL_ADMIN_SECRET")) {
            Map<String, String> env = productionEnv();
            env.put(name, "short-secret");
            Result shortOne = productionCheck(env);
            assertEquals(1, shortOne.exit(), name + " short:\n" + shortOne.output());
            assertTrue(shortOne.output().contains(name + " has 12 characters"), shortOne.output());

            env = productionEnv();
            env.remove(name);
            assertEquals(1, productionCheck(env).exit(), name + " missing");
        }
        Map<String, String> shared = productionEnv();
        shared.put("HASURA_DB_PASSWORD", shared.get("KEYCLOAK_DB_PASSWORD"));
        Result sharedResult = productionCheck(shared);
        assertEquals(1, sharedResult.exit(), sharedResult.output());
        assertTrue(sharedResult.output().contains("HASURA_DB_PASSWORD is the same as KEYCLOAK_DB_PASSWORD"), sharedResult.output());
    }
}
