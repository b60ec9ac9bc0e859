package io.github.keycloakhasura.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class SyncSettingsTest {

    private static SyncSettings of(String url, String delete) {
        return SyncSettings.of(url, "hasura-sync", delete, 1000, 60, 10_000);
    }

    @Test
    void withoutUrlSyncIsOff() {
        assertFalse(of(null, null).enabled());
        assertFalse(of("  ", null).enabled());
        assertTrue(of("http://graphql-engine:8080/v1/graphql", null).enabled());
    }

    @Test
    void deleteIsSoftByDefaultOrHard() {
        assertEquals(SyncSettings.DeleteMode.SOFT, of(null, null).deleteMode());
        assertEquals(SyncSettings.DeleteMode.HARD, of(null, "HARD").deleteMode());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(null, "sometimes"));
        assertTrue(e.getMessage().contains("delete"), e.getMessage());
    }

    @Test
    void nonsenseValuesNameTheirOption() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("ftp://x/graphql", null)).getMessage().contains("url"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of("graphql-engine", null)).getMessage().contains("url"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SyncSettings.of(null, " ", "soft", 1000, 60, 10_000)).getMessage().contains("client-id"));
        assertThrows(IllegalArgumentException.class, () -> SyncSettings.of(null, "c", "soft", 0, 60, 10_000));
    }

    @Test
    void backoffDoublesFromOneSecondUpToTheCap() {
        SyncSettings s = SyncSettings.of(null, "c", "soft", 1000, 10, 10_000);
        assertEquals(Duration.ofSeconds(1), s.backoff(1));
        assertEquals(Duration.ofSeconds(2), s.backoff(2));
        assertEquals(Duration.ofSeconds(4), s.backoff(3));
        assertEquals(Duration.ofSeconds(8), s.backoff(4));
        assertEquals(Duration.ofSeconds(10), s.backoff(5));
        assertEquals(Duration.ofSeconds(10), s.backoff(500));
    }

    @Test
    void theLeaseOutlivesOneDeliveryByFar() {
        SyncSettings s = of(null, null);
        assertTrue(s.lease().compareTo(s.requestTimeout().multipliedBy(2)) > 0);
    }
}
