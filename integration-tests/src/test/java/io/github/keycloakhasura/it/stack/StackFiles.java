package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** The compose file's HASURA_GRAPHQL_JWT_SECRET, with defaults applied. */
    static JsonNode composeJwtSecret() {
        String raw = compose().at("/services/graphql-engine/environment/HASURA_GRAPHQL_JWT_SECRET").asText();
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
        for (JsonNode scope : realmExport().get("clientScopes")) {
            for (JsonNode mapper : scope.path("protocolMappers")) {
                if ("hasura-claims-mapper".equals(mapper.path("protocolMapper").asText())) {
                    return mapper.get("config");
                }
            }
        }
        throw new AssertionError("realm export has no Hasura claims mapper");
    }
}
