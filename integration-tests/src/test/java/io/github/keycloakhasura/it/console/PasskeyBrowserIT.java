package io.github.keycloakhasura.it.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.SoftwareAuthenticator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import java.nio.file.Path;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Passkeys are Keycloak's own: in headless Chromium with Selenium's virtual authenticator, a passkey registered
 * through GraphQL ({@code passkeyRegister}) signs in on Keycloak's login page of the realm (its WebAuthn passwordless
 * authenticator), and one registered on Keycloak's page (its {@code webauthn-register-passwordless} action) signs in
 * through {@code passkeyLogin}. The credential crosses over with its private key: put into the virtual authenticator
 * in the first case, read from it in the second. Skipped without Chromium, unless {@code CI=true}.
 */
@ExtendWith(KeycloakExtension.class)
class PasskeyBrowserIT {

    static final String PASSWORD = "Passkey-browser-1";
    static final String APP_ORIGIN = "http://localhost:3000";
    static final String REDIRECT = APP_ORIGIN + "/callback";
    static final Path WORK = Path.of("target", "passkey-browser");

    static KeycloakServer server;
    static KeycloakAdmin admin;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        String missing = AdminConsole.missingBrowser();
        assumeTrue(missing == null, missing);
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
    }

    @Test
    void aPasskeyRegisteredThroughGraphqlSignsInOnKeycloaksLoginPage() {
        String username = admin.newUser("passkey-page", PASSWORD);
        String userId = admin.call("GET", "/users?exact=true&username=" + username, null).json().get(0).get("id").asText();
        String token = graphql("mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }",
                Map.of("u", username, "p", PASSWORD), null).get("tokenAuth").get("token").asText();
        JsonNode options = graphql("mutation { passkeyRegistrationOptions }", null, token).get("passkeyRegistrationOptions");
        SoftwareAuthenticator passkey = new SoftwareAuthenticator();
        graphql("mutation($c: JSON!) { passkeyRegister(credential: $c) { success } }", Map.of("c", passkey.create(options, APP_ORIGIN)), token);

        String clientId = passkeyOnlyClient();
        try (AdminConsole browser = AdminConsole.start(server.baseUrl(), WORK)) {
            ChromeDriver driver = browser.driver();
            VirtualAuthenticator authenticator = driver.addVirtualAuthenticator(authenticatorOptions());
            authenticator.addCredential(Credential.createResidentCredential(passkey.credentialId(),
                    options.path("rp").path("id").asText(), new PKCS8EncodedKeySpec(passkey.privateKeyPkcs8()),
                    passkey.userHandle(), (int) passkey.counter()));
            driver.get(server.realmUrl() + "/protocol/openid-connect/auth?response_type=code&scope=openid&client_id="
                    + clientId + "&redirect_uri=" + REDIRECT);
            browser.click(By.id("authenticateWebAuthnButton"));
            String code = codeFromRedirect(driver);
            JsonNode tokens = Http.form(server.realmUrl() + "/protocol/openid-connect/token", Http.params("grant_type",
                    "authorization_code", "code", code, "redirect_uri", REDIRECT, "client_id", clientId), null).json();
            assertEquals(userId, Jwt.payload(tokens.get("access_token").asText()).get("sub").asText(), tokens.toString());
        }
    }

    @Test
    void aPasskeyRegisteredOnKeycloaksPageSignsInThroughPasskeyLogin() {
        String username = admin.newUser("passkey-kc", PASSWORD);
        String userId = admin.call("GET", "/users?exact=true&username=" + username, null).json().get(0).get("id").asText();
        SoftwareAuthenticator passkey;
        try (AdminConsole browser = AdminConsole.start(server.baseUrl(), WORK)) {
            ChromeDriver driver = browser.driver();
            VirtualAuthenticator authenticator = driver.addVirtualAuthenticator(authenticatorOptions());
            // hasura-app wants PKCE; the code is never exchanged, so any S256 challenge of 43+ characters does.
            driver.get(server.realmUrl() + "/protocol/openid-connect/auth?response_type=code&scope=openid&client_id="
                    + KeycloakServer.CLIENT_ID + "&redirect_uri=" + REDIRECT + "&kc_action=webauthn-register-passwordless"
                    + "&code_challenge_method=S256&code_challenge=" + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
            browser.type(By.id("username"), username);
            browser.type(By.id("password"), PASSWORD);
            browser.click(By.id("kc-login"));
            browser.click(By.id("registerWebAuthn"));
            codeFromRedirect(driver); // accepts the label prompt on the way
            List<Credential> credentials = authenticator.getCredentials();
            assertEquals(1, credentials.size());
            Credential credential = credentials.get(0);
            passkey = new SoftwareAuthenticator(credential.getId(), credential.getPrivateKey().getEncoded(),
                    credential.getUserHandle(), credential.getSignCount());
        }
        boolean stored = false;
        for (JsonNode c : admin.call("GET", "/users/" + userId + "/credentials", null).json()) {
            stored |= c.get("type").asText().equals("webauthn-passwordless");
        }
        assertTrue(stored, "Keycloak's page stored a webauthn-passwordless credential");

        Map<String, Object> variables = new HashMap<>();
        variables.put("u", username);
        JsonNode options = graphql("mutation($u: String) { passkeyLoginOptions(username: $u) }", variables, null).get("passkeyLoginOptions");
        JsonNode tokens = graphql("mutation($c: JSON!) { passkeyLogin(credential: $c) { token } }",
                Map.of("c", passkey.get(options, APP_ORIGIN)), null).get("passkeyLogin");
        assertEquals(userId, Jwt.payload(tokens.get("token").asText()).get("sub").asText());
    }

    private static VirtualAuthenticatorOptions authenticatorOptions() {
        return new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true)
                .setIsUserConsenting(true);
    }

    /** Waits for Keycloak's redirect to the app (accepting a label prompt on the way); the authorization code. */
    private static String codeFromRedirect(ChromeDriver driver) {
        new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(200)).until(d -> {
            try {
                driver.switchTo().alert().accept();
            } catch (NoAlertPresentException e) {
                // no prompt (now)
            }
            return driver.getCurrentUrl().startsWith(REDIRECT);
        });
        String url = driver.getCurrentUrl();
        int at = url.indexOf("code=");
        assertTrue(at > 0, url);
        String code = url.substring(at + 5);
        return code.contains("&") ? code.substring(0, code.indexOf('&')) : code;
    }

    /** A public client whose browser flow is only Keycloak's WebAuthn passwordless authenticator. */
    private static String passkeyOnlyClient() {
        String alias = unique("passkey-only");
        assertEquals(201, admin.call("POST", "/authentication/flows", Map.of("alias", alias, "providerId", "basic-flow",
                "topLevel", true, "builtIn", false, "description", "Keycloak's passkey sign-in alone")).status());
        assertEquals(201, admin.call("POST", "/authentication/flows/" + alias + "/executions/execution",
                Map.of("provider", "webauthn-authenticator-passwordless")).status());
        JsonNode execution = admin.call("GET", "/authentication/flows/" + alias + "/executions", null).json().get(0);
        Map<String, Object> required = Http.JSON.convertValue(execution, Map.class);
        required.put("requirement", "REQUIRED");
        int status = admin.call("PUT", "/authentication/flows/" + alias + "/executions", required).status();
        assertTrue(status == 202 || status == 204, "execution required: " + status);
        String flowId = null;
        for (JsonNode flow : admin.call("GET", "/authentication/flows", null).json()) {
            if (flow.get("alias").asText().equals(alias)) {
                flowId = flow.get("id").asText();
            }
        }
        String clientId = unique("passkey-page");
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("publicClient", true);
        client.put("standardFlowEnabled", true);
        client.put("redirectUris", List.of(APP_ORIGIN + "/*"));
        client.put("authenticationFlowBindingOverrides", Map.of("browser", flowId));
        assertEquals(201, admin.call("POST", "/clients", client).status());
        return clientId;
    }

    private static JsonNode graphql(String query, Map<String, Object> variables, String bearer) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", query);
        body.put("variables", variables);
        Http.Response response = Http.json("POST", server.realmUrl() + "/graphql", body, bearer);
        assertEquals(200, response.status(), response.toString());
        assertTrue(response.json().path("errors").isMissingNode(), response.body());
        return response.json().get("data");
    }
}
