package io.github.keycloakhasura.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LayerRulesTest}'s layer rule over the source's import lines, which also see what the bytecode cannot: a
 * constant ({@code static final String}) is copied into the class that uses it, so only its import names its owner.
 */
class SourceImportLayersTest {

    private static final String BASE = "io.github.keycloakhasura.";
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(io\\.github\\.keycloakhasura\\.[\\w.]+?)\\.[A-Z]",
            Pattern.MULTILINE);

    /** Which layers each layer may import (its own always; SHARED by everyone). */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "Composition", Set.of("Transport", "Engine", "Capabilities", "CapabilityKernel", "KeycloakAdapter", "Api"),
            "Transport", Set.of("Engine", "Api"),
            "Engine", Set.of("CapabilityKernel", "Api"),
            "Capabilities", Set.of("CapabilityKernel", "KeycloakAdapter", "Api"),
            "CapabilityKernel", Set.of("Api"),
            "KeycloakAdapter", Set.of("Api"),
            "Api", Set.of(),
            "Shared", Set.of());

    static String layer(String packageName) {
        String graphql = BASE + "graphql";
        if (!packageName.startsWith(graphql + ".")) {
            return "Shared"; // graphql's own options (GraphqlConfig), trust, compat, json, options, hasura, mapper, pat, sync
        }
        return switch (packageName.substring(graphql.length() + 1).split("\\.")[0]) {
            case "spi" -> "Composition";
            case "http" -> "Transport";
            case "engine" -> "Engine";
            case "capability" -> "CapabilityKernel";
            case "keycloak" -> "KeycloakAdapter";
            case "api" -> "Api";
            default -> "Capabilities";
        };
    }

    static List<String> violations(Path sources) throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(text);
                if (!pkg.find()) {
                    continue;
                }
                String from = pkg.group(1);
                Matcher imports = IMPORT.matcher(text);
                while (imports.find()) {
                    String to = imports.group(1);
                    if (!allowed(from, to)) {
                        violations.add(file.getFileName() + " (" + from + ", " + layer(from) + ") imports " + to
                                + " (" + layer(to) + ")");
                    }
                }
            }
        }
        return violations;
    }

    static boolean allowed(String from, String to) {
        String source = layer(from);
        String target = layer(to);
        if (source.equals(target)) {
            // Within a layer: capability packages stay apart (each imports only itself); others freely.
            return !source.equals("Capabilities") || LayerRulesTest.capabilityOf(from).equals(LayerRulesTest.capabilityOf(to));
        }
        if (target.equals("Shared")) {
            return true;
        }
        return ALLOWED.get(source).contains(target);
    }

    @Test
    void everyImportFollowsTheLayerRule() throws IOException {
        Path sources = Path.of("src/main/java");
        assertTrue(Files.isDirectory(sources), "run from the module directory");
        assertEquals(List.of(), violations(sources));
    }

    @Test
    void theRuleRefusesTheImportsThatRanBackUp() {
        // The four imports issue 20 named, and their like: each must be refused.
        assertTrue(!allowed(BASE + "graphql.http", BASE + "graphql.keycloak"));
        assertTrue(!allowed(BASE + "graphql.http", BASE + "graphql.capability"));
        assertTrue(!allowed(BASE + "graphql.keycloak", BASE + "graphql.engine"));
        assertTrue(!allowed(BASE + "graphql.keycloak.account", BASE + "graphql.spi"));
        assertTrue(!allowed(BASE + "graphql.api", BASE + "graphql.passwordless"));
        assertTrue(!allowed(BASE + "graphql.passwordless", BASE + "graphql.organizations"));
        assertTrue(allowed(BASE + "graphql.passwordless", BASE + "graphql.keycloak.account"));
    }
}
