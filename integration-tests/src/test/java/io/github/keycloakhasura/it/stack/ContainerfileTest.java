package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.keycloakhasura.it.stack.StackFiles.compose;
import static io.github.keycloakhasura.it.stack.StackFiles.text;
import static io.github.keycloakhasura.it.stack.StackFiles.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Containerfile's three stages fit together and fit the build and the compose files (no engine here to build it):
 * the Keycloak tag is the build's default keycloak.version, the jars copied are the ones Maven builds, the
 * {@code kc.sh build} options are what dev and production start with, and production runs {@code start --optimized}.
 */
class ContainerfileTest {

    static final String CONTAINERFILE = "Containerfile";
    private static final Pattern FROM = Pattern.compile("(?m)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern COPY_FROM = Pattern.compile("(?m)^COPY\\s+--from=(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*$");

    private static String containerfile() {
        return text(CONTAINERFILE).replace("\\\n", " ");
    }

    private static String single(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertTrue(m.find(), pattern + " not found");
        String value = m.group(1);
        assertFalse(m.find(), pattern + " found twice");
        return value;
    }

    private static List<String[]> stages() {
        List<String[]> stages = new ArrayList<>();
        Matcher m = FROM.matcher(containerfile());
        while (m.find()) {
            stages.add(new String[]{m.group(1), m.group(2)});
        }
        return stages;
    }

    /** The default keycloak.version of the root pom (not a -Dkeycloak.version override of this run). */
    private static String defaultKeycloakVersion() {
        return single(Pattern.compile("<keycloak.version>([^<]+)</keycloak.version>"), text("pom.xml"));
    }

    private static String finalName(String module) {
        return single(Pattern.compile("<finalName>([^<]+)</finalName>"), text(module + "/pom.xml"));
    }

    @Test
    void stagesAreMavenThenKeycloakBuildThenKeycloakRuntimeOfTheBuildsDefaultVersion() {
        String version = single(Pattern.compile("(?m)^ARG KEYCLOAK_VERSION=(\\S+)$"), containerfile());
        assertEquals(defaultKeycloakVersion(), version, "Containerfile's KEYCLOAK_VERSION default vs pom.xml keycloak.version");
        List<String[]> stages = stages();
        assertEquals(3, stages.size());
        assertEquals("maven:3-eclipse-temurin-17", stages.get(0)[0]);
        assertEquals("jars", stages.get(0)[1]);
        assertEquals("quay.io/keycloak/keycloak:${KEYCLOAK_VERSION}", stages.get(1)[0]);
        assertEquals("build", stages.get(1)[1]);
        assertEquals("quay.io/keycloak/keycloak:${KEYCLOAK_VERSION}", stages.get(2)[0]);
        // The jars compile against the Keycloak they run in.
        assertTrue(containerfile().contains("-Dkeycloak.version=${KEYCLOAK_VERSION}"));
    }

    @Test
    void theJarsCopiedAreTheOnesTheMavenStageBuilds() {
        String file = containerfile();
        String mvn = single(Pattern.compile("(?m)^RUN .*?(mvn .*)$"), file);
        List<String> args = Arrays.asList(mvn.split("\\s+"));
        assertTrue(args.contains("package"), mvn);
        Set<String> built = new LinkedHashSet<>(Arrays.asList(args.get(args.indexOf("-pl") + 1).split(",")));

        // The reactor reads every module's pom; the built modules' sources are there.
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(text("pom.xml"));
        while (modules.find()) {
            assertTrue(file.contains("COPY " + modules.group(1) + "/pom.xml " + modules.group(1) + "/"), modules.group(1) + "/pom.xml");
        }
        for (String module : built) {
            assertTrue(file.contains("COPY " + module + "/src " + module + "/src"), module + "/src");
        }

        Set<String> copied = new LinkedHashSet<>();
        Matcher copy = COPY_FROM.matcher(file);
        while (copy.find()) {
            if (copy.group(1).equals("jars")) {
                String jar = copy.group(2);
                assertEquals("/opt/keycloak/providers/", copy.group(3));
                String module = jar.substring("/src/".length(), jar.indexOf("/target/"));
                assertTrue(built.contains(module), module + " is not built by: " + mvn);
                assertEquals("/src/" + module + "/target/" + finalName(module) + ".jar", jar);
                copied.add(module);
            }
        }
        assertEquals(Set.of("protocol-mapper", "graphql-realm-resource"), copied);
        assertEquals(built, copied, "every built module's jar is a provider");

        String ignored = text(".dockerignore");
        assertTrue(ignored.contains("**/target") && ignored.contains(".git"), ignored);
        for (String needed : List.of("src", "pom.xml", "realm-export")) {
            assertFalse(ignored.lines().anyMatch(l -> l.trim().equals(needed)), ".dockerignore drops " + needed);
        }
    }

    @Test
    void buildOptionsAreWhatDevAndProductionStartWithAndProductionRunsOptimized() {
        String file = containerfile();
        Set<String> buildOptions = new LinkedHashSet<>(Arrays.asList(
                single(Pattern.compile("(?m)^RUN /opt/keycloak/bin/kc\\.sh build (.*)$"), file).trim().split("\\s+")));
        assertEquals(Set.of("--db=postgres", "--health-enabled=true"), buildOptions);
        // Runtime sets the same build-time options (a different value would be ignored by start --optimized).
        JsonNode env = compose().at("/services/keycloak/environment");
        for (String option : buildOptions) {
            String name = "KC_" + option.substring(2, option.indexOf('=')).replace('-', '_').toUpperCase();
            assertEquals(option.substring(option.indexOf('=') + 1), env.path(name).asText(), name);
        }
        // The runtime stage takes the optimized server from the build stage and starts it as built.
        assertTrue(file.contains("COPY --from=build /opt/keycloak/ /opt/keycloak/"));
        assertTrue(file.contains("CMD [\"start\", \"--optimized\"]"));

        JsonNode prod = yaml("docker-compose.prod.yml").at("/services/keycloak");
        List<String> command = new ArrayList<>();
        prod.get("command").forEach(c -> command.add(c.asText()));
        assertEquals(List.of("start", "--optimized"), command.subList(0, 2));
        assertFalse(command.contains("start-dev"));
        assertEquals("xforwarded", prod.at("/environment/KC_PROXY_HEADERS").asText());
        assertTrue(prod.at("/environment/KC_HOSTNAME").asText().contains("KEYCLOAK_PUBLIC_URL"));
        assertEquals("false", yaml("docker-compose.prod.yml").at("/services/graphql-engine/environment/HASURA_GRAPHQL_ENABLE_CONSOLE").asText());
        // Dev mode stays a dev-file choice, on top of the same image.
        assertEquals("start-dev", compose().at("/services/keycloak/command/0").asText());
    }
}
