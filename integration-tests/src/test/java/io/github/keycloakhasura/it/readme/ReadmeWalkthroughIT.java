package io.github.keycloakhasura.it.readme;

import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the README's "seed article's flow" bash blocks, verbatim except for the server URL and the user name, with
 * bash, curl and jq against the real test server: what a newcomer pastes must work.
 */
@ExtendWith(KeycloakExtension.class)
class ReadmeWalkthroughIT {

    private static final String SECTION = "## The seed article's flow, step by step";

    static List<String> bashBlocks(String readme) {
        int start = readme.indexOf(SECTION);
        assertTrue(start >= 0, "README lost its walkthrough section");
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> blocks = new ArrayList<>();
        String[] lines = section.split("\n");
        StringBuilder block = null;
        String indent = "";
        for (String line : lines) {
            String trimmed = line.strip();
            if (block == null && trimmed.equals("```bash")) {
                block = new StringBuilder();
                indent = line.substring(0, line.indexOf('`'));
            } else if (block != null && trimmed.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line.startsWith(indent) ? line.substring(indent.length()) : line).append('\n');
            }
        }
        return blocks;
    }

    private static boolean available(String tool) throws IOException, InterruptedException {
        return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    }

    @Test
    void everyCommandOfTheWalkthroughWorksAgainstTheRealServer(KeycloakServer server) throws Exception {
        boolean tools = available("curl") && available("jq") && available("bash");
        if (!tools) {
            assertFalse("true".equals(System.getenv("CI")), "curl and jq must be installed in CI (.ci/run)");
            Assumptions.assumeTrue(false, "curl or jq not installed");
        }
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
        String readme = Files.readString(root.resolve("README.md"));
        List<String> blocks = bashBlocks(readme);
        assertTrue(blocks.size() >= 9, "walkthrough blocks: " + blocks.size());

        String user = KeycloakAdmin.unique("alice");
        StringBuilder script = new StringBuilder("set -eu\n");
        int run = 0;
        for (String block : blocks) {
            if (block.contains("localhost:8081")) {
                continue; // needs Hasura (compose stack)
            }
            run++;
            script.append("echo '=== block ").append(run).append("'\n")
                    .append(block.replace("http://localhost:8080", server.baseUrl()).replace("alice", user))
                    .append('\n');
        }
        Path file = Files.createTempFile("readme-walkthrough", ".sh");
        Files.writeString(file, script);
        // The admin of the server under test, as the compose stack's .env would give it.
        String output = bash(file, KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);
        Files.delete(file);

        assertTrue(output.endsWith("exit 0\n"), "walkthrough failed:\n" + output);
        assertFalse(output.contains("\"errors\""), output);
        assertTrue(output.contains("\"role\": \"user\""), "createUser profile role:\n" + output);
        assertTrue(output.contains("\"x-hasura-default-role\": \"manager\""), "manager after step 6:\n" + output);
        assertTrue(output.contains("\"username\": \"" + user + "\""), output);
        assertTrue(output.contains("\"revoked\":"), output);
    }

    /** Runs a script with the admin credentials in the environment; the output ends with the exit code. */
    private static String bash(Path script, String adminUser, String adminPassword) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("KEYCLOAK_ADMIN", adminUser);
        pb.environment().put("KEYCLOAK_ADMIN_PASSWORD", adminPassword);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "script hung:\n" + output);
        return output + "exit " + p.exitValue() + "\n";
    }

    /** Step 6 takes the admin's credentials from the environment (.env with compose), not from a literal password. */
    @Test
    void theAdminStepLogsInWithTheAdminCredentialsOfTheEnvironment(KeycloakServer server) throws Exception {
        boolean tools = available("curl") && available("jq") && available("bash");
        if (!tools) {
            assertFalse("true".equals(System.getenv("CI")), "curl and jq must be installed in CI (.ci/run)");
            Assumptions.assumeTrue(false, "curl or jq not installed");
        }
        Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
        String block = bashBlocks(Files.readString(root.resolve("README.md"))).stream()
                .filter(b -> b.contains("client_id=admin-cli")).findFirst().orElseThrow();
        // The block up to the admin token, then print whether one came back.
        String login = block.substring(0, block.indexOf("ALICE="));
        Path file = Files.createTempFile("readme-admin", ".sh");
        Files.writeString(file, "set -eu\n" + login.replace("http://localhost:8080", server.baseUrl()) + "echo \"admin token: ${#ADMIN}\"\n");
        try {
            String right = bash(file, KeycloakServer.ADMIN_USERNAME, KeycloakServer.ADMIN_PASSWORD);
            assertTrue(right.endsWith("exit 0\n") && right.contains("admin token: "), right);
            String wrong = bash(file, KeycloakServer.ADMIN_USERNAME, "not-the-" + KeycloakServer.ADMIN_PASSWORD);
            assertFalse(wrong.endsWith("exit 0\n"), "step 6 ignored KEYCLOAK_ADMIN_PASSWORD:\n" + wrong);
        } finally {
            Files.delete(file);
        }
    }
}
