package io.github.keycloakhasura.graphql.keycloak.account;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountEmailConfigTest {

    @Test
    void defaultsAreNoAppUrlAndOneMinute() {
        AccountEmailConfig config = AccountEmailConfig.from(key -> null);
        assertNull(config.appUrl());
        assertEquals(60, config.emailIntervalSeconds());
    }

    @Test
    void readsTheOptionsAndDropsTrailingSlashes() {
        Map<String, String> options = Map.of("app-url", " https://app.example.com/base// ", "email-interval", "120");
        AccountEmailConfig config = AccountEmailConfig.from(options::get);
        assertEquals("https://app.example.com/base", config.appUrl());
        assertEquals(120, config.emailIntervalSeconds());
    }

    @Test
    void refusesRelativeOrNonHttpAppUrlsAndBadIntervals() {
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> AccountEmailConfig.from(Map.of("app-url", "/app")::get));
        assertTrue(relative.getMessage().contains("app-url"), relative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AccountEmailConfig.from(Map.of("app-url", "javascript:alert(1)")::get));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> AccountEmailConfig.from(Map.of("email-interval", "0")::get));
        assertTrue(zero.getMessage().contains("email-interval"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AccountEmailConfig.from(Map.of("email-interval", "soon")::get));
    }

    @Test
    void linksCarryTheTokenAsTheTokenQueryParameter() {
        assertEquals("https://app.example.com/reset-password?token=a.b%2Bc",
                AccountEmails.link("https://app.example.com", "reset-password", "a.b+c"));
    }
}
