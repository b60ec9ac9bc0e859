package io.github.keycloakhasura.it.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Tokens;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.mapper.InvalidMapperConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.console.AdminConsole.testId;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static io.github.keycloakhasura.it.support.KeycloakServer.REALM;
import static io.github.keycloakhasura.mapper.HasuraMapperConfig.CLAIM_NAME;
import static io.github.keycloakhasura.mapper.HasuraMapperConfig.ROLES_CLIENT;
import static io.github.keycloakhasura.mapper.HasuraMapperConfig.ROLES_SOURCE;
import static io.github.keycloakhasura.mapper.HasuraMapperConfig.ROLE_PRIORITY;
import static io.github.keycloakhasura.mapper.HasuraMapperConfig.SESSION_VARIABLES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Hasura claims mapper as a Keycloak admin meets it: in the admin console, in a real (headless) Chromium.
 * An admin adds the mapper to a client scope "by configuration", sees every option with its label and help,
 * is refused a nonsense configuration with the mapper's own message, saves a good one, and evaluates the client's
 * access token for a user ("Clients → client → Client scopes → Evaluate"); the provider info shows the extension's
 * version. The test takes the README's screenshots into {@code target/admin-console/screenshots/}; with
 * {@code -Dscreenshots.update=true} it writes them to {@code docs/screenshots/} instead (commit them then), so an
 * ordinary build leaves the working tree clean.
 *
 * <p>The methods run in order and share the browser: {@code evaluate…} uses the mapper saved by
 * {@code validConfigurationIsSaved}. Skipped when Chromium is not installed, unless {@code CI=true}; on failure the
 * page is saved to {@code target/admin-console/failures/}.
 */
@ExtendWith(KeycloakExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminConsoleMapperIT {

    private static final String NS = HasuraMapperConfig.DEFAULT_NAMESPACE;
    private static final String MAPPER_ID = "hasura-claims-mapper";
    private static final String MAPPER_TYPE = "Hasura claims";
    private static final String MAPPER_NAME = "Hasura claims";
    private static final String PASSWORD = "Secret-pass-123";

    private static final Path WORK = Path.of(System.getProperty("project.build.directory", "target")).resolve("admin-console");
    private static final Path SCREENSHOTS = Boolean.getBoolean("screenshots.update")
            ? Path.of(System.getProperty("project.root", "..")).resolve("docs/screenshots")
            : WORK.resolve("screenshots");

    private static KeycloakServer server;
    private static KeycloakAdmin admin;
    private static AdminConsole console;
    private static String missingBrowser;
    private static String scopeId;
    private static String clientId;
    private static String clientUuid;
    private static String username;
    private static String userId;

    /** Screenshot and HTML of the page a test failed on, in target/admin-console/failures/. */
    @RegisterExtension
    static final TestWatcher EVIDENCE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (console != null) {
                console.saveEvidence(WORK.resolve("failures"), context.getRequiredTestMethod().getName());
            }
        }
    };

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        missingBrowser = AdminConsole.missingBrowser();
        if (missingBrowser != null) {
            return;   // every test reports itself skipped, with the reason
        }
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);

        // What the admin works with: an empty client scope, a client whose default scopes are that scope and
        // "basic" (sub), and a user with the manager role and an org_id attribute.
        String scopeName = unique("hasura-console");
        scopeId = created(admin.call("POST", "/client-scopes", Map.of(
                "name", scopeName,
                "protocol", "openid-connect",
                "attributes", Map.of("include.in.token.scope", "true", "display.on.consent.screen", "false"))));
        clientId = unique("console-app");
        clientUuid = created(admin.call("POST", "/clients", Map.of(
                "clientId", clientId,
                "publicClient", true,
                "directAccessGrantsEnabled", true,
                "standardFlowEnabled", false,
                "fullScopeAllowed", true,
                "defaultClientScopes", List.of("basic", scopeName),
                "optionalClientScopes", List.of())));
        username = unique("console-user");
        userId = admin.createUser(username, PASSWORD, Map.of("org_id", List.of("42")));
        admin.addRealmRoles(userId, "manager");

        // A permanent admin: the bootstrap admin is temporary, and the console would say so on every screenshot.
        String consoleAdmin = unique("console-admin");
        createMasterAdmin(consoleAdmin, PASSWORD);

        console = AdminConsole.start(server.baseUrl(), WORK);
        console.login(consoleAdmin, PASSWORD);
    }

    @BeforeEach
    void browserAvailable() {
        assumeTrue(missingBrowser == null, missingBrowser);
    }

    @AfterAll
    static void tearDown() {
        if (console != null) {
            console.close();
            console = null;
        }
    }

    /** First, while the console still shows the admin's own realm (master), where the provider info is. */
    @Test
    @Order(1)
    void providerInfoShowsTheExtensionVersion() {
        String version = System.getProperty("extension.version");
        console.openProviderInfo();

        Map<String, String> hasuraEndpoints = console.providerInfo("realm-restapi-extension", "hasura");
        Map<String, String> mapper = console.providerInfo("protocol-mapper", MAPPER_ID);
        assertFalse(mapper.getOrDefault("version", "").isBlank(), "mapper: " + mapper);
        assertFalse(hasuraEndpoints.getOrDefault("version", "").isBlank(), "hasura endpoints: " + hasuraEndpoints);
        if (version != null) {
            assertEquals(version, mapper.get("version"));
            assertEquals(version, hasuraEndpoints.get("version"));
        }
        if (console.hasProvider("realm-restapi-extension", "graphql")) {
            Map<String, String> graphql = console.providerInfo("realm-restapi-extension", "graphql");
            assertFalse(graphql.getOrDefault("version", "").isBlank(), "graphql endpoint: " + graphql);
            if (version != null) {
                assertEquals(version, graphql.get("version"));
            }
        }
        console.providerInfo("protocol-mapper", MAPPER_ID);   // back to the mapper, for the screenshot
        console.screenshot(SCREENSHOTS.resolve("provider-info.png"));
    }

    @Test
    @Order(2)
    void mapperFormShowsEveryOptionWithItsLabelAndHelpText() {
        List<JsonNode> properties = mapperProperties();
        assertTrue(properties.size() >= 14, "too few properties in the server info: " + properties);

        console.openClientScopeMappers(REALM, scopeId);
        console.addMapperByConfiguration(MAPPER_TYPE);

        List<String> names = new ArrayList<>();
        properties.forEach(p -> names.add(p.get("name").asText()));
        Map<String, AdminConsole.ShownField> shown = console.fields(names);

        List<String> problems = new ArrayList<>();
        for (JsonNode property : properties) {
            String name = property.get("name").asText();
            String label = property.get("label").asText();
            String help = property.path("helpText").asText();
            AdminConsole.ShownField field = shown.get(name);
            if (field == null) {
                problems.add(name + ": not in the form");
                continue;
            }
            if (!field.hasHelp()) {
                problems.add(name + ": no help icon");
                continue;
            }
            String shownHelp = console.helpText(name);
            if (isMessageKey(label)) {
                // Keycloak's own "Add to ... token" switches carry message keys, which the console translates.
                if (field.label().isBlank() || field.label().equals(label)) {
                    problems.add(name + ": label not translated: \"" + field.label() + "\"");
                }
                if (shownHelp.isBlank() || shownHelp.equals(help)) {
                    problems.add(name + ": help not translated: \"" + shownHelp + "\"");
                }
            } else {
                if (!label.equals(field.label())) {
                    problems.add(name + ": label \"" + field.label() + "\", expected \"" + label + "\"");
                }
                if (!normalize(help).equals(normalize(shownHelp))) {
                    problems.add(name + ": help \"" + shownHelp + "\", expected \"" + help + "\"");
                }
            }
            JsonNode defaultValue = property.path("defaultValue");
            String expected = defaultValue.isMissingNode() || defaultValue.isNull() ? "" : defaultValue.asText();
            boolean switchOff = "boolean".equals(property.path("type").asText()) && expected.isEmpty();
            if (!expected.equals(field.value()) && !(switchOff && "false".equals(field.value()))) {
                problems.add(name + ": shows \"" + field.value() + "\", default is \"" + expected + "\"");
            }
        }
        assertEquals(List.of(), problems, "mapper form in the admin console");
    }

    @Test
    @Order(3)
    void invalidConfigurationIsRefusedWithTheMappersMessage() {
        console.openClientScopeMappers(REALM, scopeId);
        console.addMapperByConfiguration(MAPPER_TYPE);
        console.type(testId("name"), MAPPER_NAME);

        // Client roles of a client that does not exist: refused by the mapper's validateConfig.
        String missingClient = unique("no-such-client");
        console.select(ROLES_SOURCE, "client");
        console.type(testId(ROLES_CLIENT), missingClient);
        console.save();
        AdminConsole.Alert refused = console.lastAlert("danger");
        assertEquals("Client \"" + missingClient + "\" (for client roles) does not exist in realm \"" + REALM + "\".",
                refused.description(), "alert: " + refused);
        console.centre(testId(ROLES_CLIENT));
        console.screenshot(SCREENSHOTS.resolve("mapper-validation.png"));
        console.closeAlerts();

        // A session variable name Hasura cannot carry: refused with the message of the mapper's config parser.
        String badVariables = "org_id:bad name!";
        String expected = assertThrows(InvalidMapperConfigException.class,
                () -> HasuraMapperConfig.parse(Map.of(SESSION_VARIABLES, badVariables))).getMessage();
        console.select(ROLES_SOURCE, "realm");
        console.type(testId(ROLES_CLIENT), "");
        console.type(testId(SESSION_VARIABLES), badVariables);
        console.save();
        AdminConsole.Alert refusedAgain = console.lastAlert("danger");
        assertEquals(expected, refusedAgain.description(), "alert: " + refusedAgain);
        console.closeAlerts();

        assertEquals(0, scopeMappers().size(), "a refused configuration was stored: " + scopeMappers());
    }

    @Test
    @Order(4)
    void validConfigurationIsSaved() {
        console.openClientScopeMappers(REALM, scopeId);
        console.addMapperByConfiguration(MAPPER_TYPE);
        console.type(testId("name"), MAPPER_NAME);
        console.type(testId(ROLE_PRIORITY), "manager,user");
        console.type(testId(SESSION_VARIABLES), "org_id");
        console.save();
        AdminConsole.Alert saved = console.lastAlert("success");
        console.closeAlerts();

        List<JsonNode> mappers = scopeMappers();
        assertEquals(1, mappers.size(), "after " + saved + ": " + mappers);
        JsonNode mapper = mappers.get(0);
        assertEquals(MAPPER_ID, mapper.get("protocolMapper").asText());
        assertEquals(MAPPER_NAME, mapper.get("name").asText());
        JsonNode config = mapper.get("config");
        assertEquals("manager,user", config.path(ROLE_PRIORITY).asText(), config.toString());
        assertEquals("org_id", config.path(SESSION_VARIABLES).asText(), config.toString());
        assertEquals("realm", config.path(ROLES_SOURCE).asText(), config.toString());
        assertEquals(NS, config.path(CLAIM_NAME).asText(), config.toString());
        assertEquals("true", config.path("access.token.claim").asText(), config.toString());
        // A new mapper stays out of ID tokens unless the admin switches it on (the app's token, not Hasura's).
        assertEquals("false", config.path("id.token.claim").asText(), config.toString());

        // The saved mapper, opened again from the scope's mapper list.
        console.click(By.xpath("//main//table//a[normalize-space(.)=" + AdminConsole.xpathLiteral(MAPPER_NAME) + "]"));
        console.until(d -> "manager,user".equals(d.findElement(testId(ROLE_PRIORITY)).getDomProperty("value")));
        assertEquals("org_id", console.visible(testId(SESSION_VARIABLES)).getDomProperty("value"));
        console.screenshotWholePage(SCREENSHOTS.resolve("mapper-configuration.png"));
    }

    @Test
    @Order(5)
    void evaluateShowsTheHasuraClaimsInTheGeneratedAccessToken() throws IOException {
        assertFalse(scopeMappers().isEmpty(), "no mapper: validConfigurationIsSaved must have saved it");

        console.evaluate(REALM, clientUuid, username);
        String shown = console.generatedAccessToken();
        JsonNode token = Http.JSON.readTree(shown);
        JsonNode claims = token.get(NS);
        assertNotNull(claims, "no " + NS + " in the generated access token:\n" + shown);
        assertEquals(List.of("manager", "user"), strings(claims.get("x-hasura-allowed-roles")), shown);
        assertEquals("manager", claims.path("x-hasura-default-role").asText(), shown);
        assertEquals(userId, claims.path("x-hasura-user-id").asText(), shown);
        assertEquals("42", claims.path("x-hasura-org_id").asText(), shown);
        assertEquals(userId, token.path("sub").asText(), shown);

        // What the console evaluates is what the token endpoint issues to that client for that user.
        String accessToken = new Tokens(server).login(clientId, username, PASSWORD, null).get("access_token").asText();
        assertEquals(Jwt.payload(accessToken).get(NS), claims);

        console.showGeneratedAccessToken();
        console.screenshot(SCREENSHOTS.resolve("evaluate-access-token.png"));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The mapper's properties as the server describes them to the console (the form is rendered from these). */
    private static List<JsonNode> mapperProperties() {
        Http.Response info = Http.get(server.baseUrl() + "/admin/serverinfo", admin.token());
        assertEquals(200, info.status(), info.toString());
        for (JsonNode type : info.json().path("protocolMapperTypes").path("openid-connect")) {
            if (MAPPER_ID.equals(type.path("id").asText())) {
                List<JsonNode> properties = new ArrayList<>();
                type.path("properties").forEach(properties::add);
                return properties;
            }
        }
        throw new AssertionError(MAPPER_ID + " is not among the server's openid-connect mapper types");
    }

    /** "includeInIdToken.label": a message key the console translates, not a label of ours. */
    private static boolean isMessageKey(String label) {
        return label.matches("[A-Za-z]+(\\.[A-Za-z]+)+");
    }

    private static String normalize(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static List<JsonNode> scopeMappers() {
        Http.Response r = admin.call("GET", "/client-scopes/" + scopeId + "/protocol-mappers/models", null);
        assertEquals(200, r.status(), r.toString());
        List<JsonNode> mappers = new ArrayList<>();
        r.json().forEach(mappers::add);
        return mappers;
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> result.add(n.asText()));
        }
        return result;
    }

    private static String created(Http.Response r) {
        if (r.status() != 201) {
            throw new IllegalStateException("create failed: " + r);
        }
        String location = r.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** A user of the master realm with its "admin" role, complete enough that login asks for nothing else. */
    private static void createMasterAdmin(String name, String password) {
        String masterUrl = server.baseUrl() + "/admin/realms/master";
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", name);
        user.put("email", name + "@example.test");
        user.put("emailVerified", true);
        user.put("firstName", "Console");
        user.put("lastName", "Admin");
        user.put("enabled", true);
        user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        String id = created(Http.json("POST", masterUrl + "/users", user, admin.token()));
        Http.Response role = Http.get(masterUrl + "/roles/admin", admin.token());
        assertEquals(200, role.status(), role.toString());
        Http.Response mapped = Http.json("POST", masterUrl + "/users/" + id + "/role-mappings/realm",
                List.of(role.json()), admin.token());
        assertEquals(204, mapped.status(), mapped.toString());
    }
}
