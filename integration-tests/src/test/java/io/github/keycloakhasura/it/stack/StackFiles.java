package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The deployment files of the project (docker-compose.yml, .env.example, realm-export/, hasura/), parsed. */
final class StackFiles {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEFAULTED = Pattern.compile("\\$\\{([A-Z_]+):-([^}]*)}");

    private StackFiles() {
    }

    static Path root() {
        String root = System.getProperty("project.root");
        return Path.of(root == null ? ".." : root).toAbsolutePath().normalize();
    }

    static JsonNode yaml(String relative) {
        try {
            return YAML.readTree(root().resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String relative) {
        try {
            return JSON.readTree(root().resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String relative) {
        try {
            return Files.readString(root().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces {@code ${VAR:-default}} by its default, as docker compose does when VAR is unset. */
    static String withDefaults(String value) {
        Matcher m = DEFAULTED.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static JsonNode compose() {
        return yaml("docker-compose.yml");
    }

    /** Hasura's JWT mode, the default: {@code docker compose up} reads this file after docker-compose.yml. */
    static JsonNode composeJwtMode() {
        return yaml("docker-compose.override.yml");
    }

    /**
     * {@code docker-compose --env-file .env.example [-f file]... config}: the configuration compose really runs, merged
     * and interpolated (no Docker engine needed). Without files, compose picks docker-compose.yml and
     * docker-compose.override.yml itself. Skips the calling test when Debian's docker-compose is not installed
     * (outside CI only).
     */
    static JsonNode composeConfig(String... files) {
        try {
            boolean haveCompose = new ProcessBuilder("sh", "-c", "command -v docker-compose").start().waitFor() == 0;
            if (!haveCompose) {
                // CI installs Debian's docker-compose (.ci/run); elsewhere the check is skipped, not faked.
                Assertions.assertFalse("true".equals(System.getenv("CI")),
                        "docker-compose must be installed in CI (.ci/run)");
                Assumptions.assumeTrue(false, "docker-compose not installed");
            }
            List<String> command = new ArrayList<>(List.of("docker-compose", "--env-file", ".env.example"));
            for (String file : files) {
                command.add("-f");
                command.add(file);
            }
            command.add("config");
            Process p = new ProcessBuilder(command).directory(root().toFile()).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String errors = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + errors + output);
            }
            return YAML.readTree(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The compose stack's HASURA_GRAPHQL_JWT_SECRET (JWT mode), with defaults applied. */
    static JsonNode composeJwtSecret() {
        String raw = composeJwtMode().at("/services/graphql-engine/environment/HASURA_GRAPHQL_JWT_SECRET").asText();
        try {
            return JSON.readTree(withDefaults(raw));
        } catch (IOException e) {
            throw new AssertionError("HASURA_GRAPHQL_JWT_SECRET is not JSON: " + raw, e);
        }
    }

    static JsonNode realmExport() {
        return json("realm-export/app-realm.json");
    }

    /** The Hasura claims mapper's config in the realm export's "hasura" client scope. */
    static JsonNode exportedMapperConfig() {
        return exportedMapperConfig("hasura-claims-mapper");
    }

    /** The config of the first mapper of type {@code protocolMapper} in the realm export's client scopes. */
    static JsonNode exportedMapperConfig(String protocolMapper) {
        for (JsonNode scope : realmExport().get("clientScopes")) {
            for (JsonNode mapper : scope.path("protocolMappers")) {
                if (protocolMapper.equals(mapper.path("protocolMapper").asText())) {
                    return mapper.get("config");
                }
            }
        }
        throw new AssertionError("realm export has no " + protocolMapper + " mapper");
    }
}
