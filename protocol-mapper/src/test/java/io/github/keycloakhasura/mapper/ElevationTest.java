package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElevationTest {

    @Test
    void onlyTokensIssuedFromTheProofToTheEndOfTheWindowAreElevated() {
        assertTrue(Elevation.applies("1000", 1000L, 300));
        assertTrue(Elevation.applies("1000", 1300L, 300));
        assertFalse(Elevation.applies("1000", 1301L, 300), "after the window");
        assertFalse(Elevation.applies("1000", 999L, 300), "a token issued before the proof (a stolen one)");
    }

    @Test
    void noProofNoIssueTimeNonsenseOrAZeroWindowIsNeverElevated() {
        assertFalse(Elevation.applies(null, 1000L, 300));
        assertFalse(Elevation.applies("1000", null, 300));
        assertFalse(Elevation.applies("soon", 1000L, 300));
        assertFalse(Elevation.applies("1000", 1000L, 0));
    }

    @Test
    void anExistingTokenCountsOnlyIfIssuedElevated() {
        assertEquals(1000L, Elevation.issuedAtIfIssuedElevated(Map.of("x-hasura-auth-elevated", "u1"), 1000L));
        assertEquals(1000L, Elevation.issuedAtIfIssuedElevated("{\"x-hasura-auth-elevated\":\"u1\"}", 1000L));
        assertEquals(null, Elevation.issuedAtIfIssuedElevated(Map.of("x-hasura-user-id", "u1"), 1000L));
        assertEquals(null, Elevation.issuedAtIfIssuedElevated("{\"x-hasura-user-id\":\"u1\"}", 1000L));
        assertEquals(null, Elevation.issuedAtIfIssuedElevated("not json", 1000L));
        assertEquals(null, Elevation.issuedAtIfIssuedElevated(null, 1000L));
    }

    @Test
    void theWindowOptionDefaultsToFiveMinutesAndRefusesNonsense() {
        assertEquals(300, HasuraMapperConfig.parse(Map.of()).elevationWindow());
        assertEquals(30, HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.ELEVATION_WINDOW, " 30 ")).elevationWindow());
        for (String bad : List.of("-1", "5m", "86401")) {
            assertThrows(InvalidMapperConfigException.class,
                    () -> HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.ELEVATION_WINDOW, bad)), bad);
        }
    }

    @Test
    void noOptionMayProduceTheElevationClaim() {
        for (String name : List.of("auth-elevated", "X-Hasura-Auth-Elevated", "x-hasura-AUTH-ELEVATED")) {
            assertTrue(HasuraReservedNames.isReserved(name), name);
            assertThrows(InvalidMapperConfigException.class,
                    () -> HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.SESSION_VARIABLES, "team:" + name)), name);
            assertThrows(InvalidMapperConfigException.class,
                    () -> HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.GROUPS_VARIABLE, name)), name);
        }
        assertThrows(InvalidMapperConfigException.class,
                () -> HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.SESSION_VARIABLES, "auth-elevated")));
    }
}
