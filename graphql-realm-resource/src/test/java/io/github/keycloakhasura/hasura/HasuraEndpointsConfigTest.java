package io.github.keycloakhasura.hasura;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HasuraEndpointsConfigTest {

    @Test
    void missingOptionsGiveDefaults() {
        HasuraEndpointsConfig config = HasuraEndpointsConfig.from(key -> null);
        assertEquals(300, config.jwksMaxAgeSeconds());
        assertEquals("hasura-app", config.defaultClientId());
        assertNull(config.webhookUnauthenticatedRole());
    }

    @Test
    void optionsAreReadAndTrimmed() {
        Map<String, String> options = Map.of("jwks-max-age", " 60 ", "client-id", "web", "webhook-unauthenticated-role", "anonymous");
        HasuraEndpointsConfig config = HasuraEndpointsConfig.from(options::get);
        assertEquals(60, config.jwksMaxAgeSeconds());
        assertEquals("web", config.defaultClientId());
        assertEquals("anonymous", config.webhookUnauthenticatedRole());
    }

    @Test
    void badMaxAgeFailsNamingTheOption() {
        for (String bad : new String[] {"-1", "soon", "1.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HasuraEndpointsConfig.from(Map.of("jwks-max-age", bad)::get));
            assertTrue(e.getMessage().contains("jwks-max-age"), e.getMessage());
        }
    }

    @Test
    void maxAgeBelowThirtySecondsIsRefusedNamingTheOptionAndTheMinimum() {
        for (String tooShort : new String[] {"0", "1", "29"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HasuraEndpointsConfig.from(Map.of("jwks-max-age", tooShort)::get));
            assertTrue(e.getMessage().contains("jwks-max-age") && e.getMessage().contains("30 or more"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + tooShort + "'"), e.getMessage());
        }
        assertEquals(30, HasuraEndpointsConfig.from(Map.of("jwks-max-age", "30")::get).jwksMaxAgeSeconds());
    }

    @Test
    void adminAsTheUnauthenticatedRoleStopsStartUp() {
        for (String admin : new String[] {"admin", " admin ", "Admin", "ADMIN"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HasuraEndpointsConfig.from(Map.of("webhook-unauthenticated-role", admin)::get));
            assertTrue(e.getMessage().contains("webhook-unauthenticated-role") && e.getMessage().contains("never be 'admin'"),
                    e.getMessage());
        }
        assertEquals("administrator", HasuraEndpointsConfig.from(
                Map.of("webhook-unauthenticated-role", "administrator")::get).webhookUnauthenticatedRole());
    }

    @Test
    void sessionVariableNamesAreHeaderCased() {
        assertEquals("X-Hasura-User-Id", WebhookEndpoint.headerCase("x-hasura-user-id"));
        assertEquals("X-Hasura-Org_id", WebhookEndpoint.headerCase("x-hasura-org_id"));
    }
}
