package io.github.keycloakhasura.mapper;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SupportedKeycloakTest {

    @ParameterizedTest
    @ValueSource(strings = {"26.4.0", "26.4.7", "26.5.6", "26.6.0", "26.7.3", "26.7.3-SNAPSHOT", "26.4.7.redhat-00001",
            "26.5", " 26.7.3 "})
    void releasesFrom26_4To26_7AreSupportedWhateverTheirPatchOrSuffix(String version) {
        assertEquals(Optional.empty(), SupportedKeycloak.problem(version));
    }

    @ParameterizedTest
    @ValueSource(strings = {"26.3.5", "26.0.0", "25.0.6", "26.8.0", "26.10.1", "27.0.0", "999.0.0-SNAPSHOT", "2.6.4"})
    void releasesOutsideTheRangeAreRefusedWithAMessageNamingVersionAndRange(String version) {
        String message = SupportedKeycloak.problem(version).orElseThrow();
        assertTrue(message.contains("Keycloak " + version + ", which is not supported"), message);
        assertTrue(message.contains("supports Keycloak 26.4.x to 26.7.x only"), message);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"UNKNOWN", "26", "26.x", "v26.5.0", "26.99999999999.0"})
    void anUnreadableVersionIsRefusedRatherThanGuessed(String version) {
        String message = SupportedKeycloak.problem(version).orElseThrow();
        assertTrue(message.contains("unreadable version"), message);
        assertTrue(message.contains("26.4.x to 26.7.x"), message);
    }
}
