package io.github.keycloakhasura.trust;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrustBoundaryTest {

    @Test
    void defaultsAllowOnlyTheConfiguredClientInRealmsThatHaveIt() {
        TrustBoundary trust = TrustBoundary.defaults();
        assertEquals("hasura-app", trust.clientId());
        assertEquals(Set.of("hasura-app"), trust.allowedClients());
        assertTrue(trust.realms().isEmpty());
        assertFalse(trust.allowOfflineTokens());
        assertTrue(trust.allowsClient("hasura-app"));
        assertFalse(trust.allowsClient("admin-cli"));
        assertFalse(trust.allowsClient(null));
    }

    @Test
    void allowedClientsDefaultToTheClientIdAndMustIncludeIt() {
        assertEquals(Set.of("web"), TrustBoundary.from(Map.of("client-id", "web")::get).allowedClients());
        TrustBoundary two = TrustBoundary.from(Map.of("client-id", "web", "allowed-clients", " web , mobile ,")::get);
        assertEquals(Set.of("web", "mobile"), two.allowedClients());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustBoundary.from(Map.of("allowed-clients", "mobile")::get));
        assertTrue(e.getMessage().contains("allowed-clients must include client-id 'hasura-app'"), e.getMessage());
    }

    @Test
    void realmsAndOfflineOption() {
        TrustBoundary trust = TrustBoundary.from(Map.of("realms", "app, shop", "allow-offline-tokens", "TRUE")::get);
        assertEquals(Set.of("app", "shop"), trust.realms());
        assertTrue(trust.allowOfflineTokens());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustBoundary.from(Map.of("allow-offline-tokens", "yes")::get));
        assertTrue(e.getMessage().startsWith("allow-offline-tokens must be true or false"), e.getMessage());
    }

    @Test
    void offlineScopeIsOneWordOfTheScopeParameter() {
        assertTrue(TrustBoundary.asksOffline("openid offline_access"));
        assertTrue(TrustBoundary.asksOffline(" offline_access "));
        assertFalse(TrustBoundary.asksOffline("openid"));
        assertFalse(TrustBoundary.asksOffline("offline_accessory"));
        assertFalse(TrustBoundary.asksOffline(null));
    }

    @Test
    void hasuraReadsTheGraphqlScopeAndRefusesItsOwnCopy() {
        Map<String, String> graphql = Map.of("client-id", "web", "allowed-clients", "web,mobile");
        TrustBoundary trust = TrustBoundary.forHasura(Map.<String, String>of()::get, graphql::get);
        assertEquals(Set.of("web", "mobile"), trust.allowedClients());
        assertEquals("web", TrustBoundary.forHasura(Map.of("client-id", "web")::get, graphql::get).clientId());
        for (String option : TrustBoundary.OPTIONS) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TrustBoundary.forHasura(Map.of(option, "x")::get, graphql::get));
            assertTrue(e.getMessage().contains("--spi-realm-restapi-extension--graphql--" + option), e.getMessage());
        }
        IllegalArgumentException conflict = assertThrows(IllegalArgumentException.class,
                () -> TrustBoundary.forHasura(Map.of("client-id", "other")::get, graphql::get));
        assertTrue(conflict.getMessage().contains("conflicts"), conflict.getMessage());
    }
}
