package io.github.keycloakhasura.graphql.keycloak.account;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Where account email links point: only app-url on a production server; the client's URLs count in dev mode only. */
class AppUrlInProductionTest {

    private static final String EXPORT_ROOT = "http://localhost:3000";

    @Test
    void aProductionServerWithoutAppUrlSendsNoLinkEvenWhenTheClientHasARootUrl() {
        AccountEmailConfig config = AccountEmailConfig.from(key -> null);
        assertNull(config.appUrl(EXPORT_ROOT, null, false));
        assertNull(config.appUrl(EXPORT_ROOT, "/app", false));
        assertNull(config.appUrl(null, "https://app.example.com", false));
    }

    @Test
    void appUrlIsUsedInBothModes() {
        AccountEmailConfig config = AccountEmailConfig.from(Map.of("app-url", "https://app.example.com/")::get);
        assertEquals("https://app.example.com", config.appUrl(EXPORT_ROOT, null, false));
        assertEquals("https://app.example.com", config.appUrl(EXPORT_ROOT, null, true));
    }

    @Test
    void devModeFallsBackToTheClientsBaseThenRootUrl() {
        AccountEmailConfig config = AccountEmailConfig.from(key -> null);
        assertEquals(EXPORT_ROOT, config.appUrl(EXPORT_ROOT, null, true));
        assertEquals(EXPORT_ROOT + "/app", config.appUrl(EXPORT_ROOT + "/", "/app", true));
        assertEquals("https://app.example.com", config.appUrl(null, "https://app.example.com/", true));
        assertNull(config.appUrl(null, "/app", true));
    }
}
