package io.github.keycloakhasura.options;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionReaderTest {

    private enum Mode { SOFT, HARD }

    private static OptionReader reader(String key, String value) {
        Map<String, String> options = new HashMap<>();
        options.put(key, value);
        return OptionReader.of(options::get);
    }

    private static IllegalArgumentException refused(Runnable read) {
        return assertThrows(IllegalArgumentException.class, read::run);
    }

    @ParameterizedTest(name = "unset or blank ''{0}'' takes the default")
    @ValueSource(strings = {"", " ", "\t"})
    void blankValuesTakeTheDefault(String blank) {
        OptionReader options = reader("x", blank);
        assertEquals("d", options.text("x", "d"));
        assertNull(options.text("x"));
        assertTrue(options.bool("x", true));
        assertEquals(7, options.integer("x", 7, 0, 10));
        assertEquals(Duration.ofSeconds(60), options.duration("x", ChronoUnit.SECONDS, 60, 0, 100));
        assertEquals(List.of(), options.list("x"));
        assertEquals(List.of(), options.entries("x"));
        assertEquals(Mode.SOFT, options.choice("x", Mode.SOFT, Mode.values(), m -> m.name().toLowerCase()));
        assertEquals("d", OptionReader.of(key -> null).text("x", "d"));
    }

    @Test
    void valuesAreTrimmed() {
        assertEquals("a b", reader("x", "  a b ").text("x", "d"));
        assertEquals(12, reader("x", " 12 ").integer("x", 0, 0, 100));
        assertFalse(reader("x", " FALSE ").bool("x", true));
        assertEquals(Mode.HARD, reader("x", " hard ").choice("x", Mode.SOFT, Mode.values(), m -> m.name().toLowerCase()));
    }

    @ParameterizedTest(name = "integer ''{0}'' is refused")
    @ValueSource(strings = {"ten", "1.5", "-1", "101", "99999999999999999999", "0x10", "1e2"})
    void badIntegersAreRefusedNamingTheOptionAndTheValue(String bad) {
        IllegalArgumentException e = refused(() -> reader("max-page-size", bad).integer("max-page-size", 5, 0, 100));
        assertEquals("max-page-size must be a whole number from 0 to 100, not '" + bad + "'", e.getMessage());
    }

    @Test
    void anOpenRangeSaysOrMore() {
        IllegalArgumentException e = refused(() -> reader("n", "0").integer("n", 5, 1, Integer.MAX_VALUE));
        assertEquals("n must be a whole number 1 or more, not '0'", e.getMessage());
        assertEquals(Integer.MAX_VALUE, reader("n", String.valueOf(Integer.MAX_VALUE)).integer("n", 5, 1, Integer.MAX_VALUE));
        assertEquals(8_000_000_000L, reader("n", "8000000000").longInteger("n", 5, 0, Long.MAX_VALUE));
    }

    @Test
    void durationsAreWholeUnitsAndNeverNegative() {
        assertEquals(Duration.ofMillis(250), reader("t", "250").duration("t", ChronoUnit.MILLIS, 500, 1, 30_000));
        assertEquals(Duration.ZERO, reader("t", "0").duration("t", ChronoUnit.SECONDS, 60, 0, 86_400));
        IllegalArgumentException negative = refused(() -> reader("ttl", "-5").duration("ttl", ChronoUnit.SECONDS, 60, 0, 86_400));
        assertEquals("ttl must be a whole number of seconds from 0 to 86400, not '-5'", negative.getMessage());
        IllegalArgumentException unit = refused(() -> reader("t", "5s").duration("t", ChronoUnit.MILLIS, 500, 1, 30_000));
        assertEquals("t must be a whole number of milliseconds from 1 to 30000, not '5s'", unit.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reader("t", "1").duration("t", ChronoUnit.SECONDS, 1, -1, 10),
                "a negative lower bound is a programming error");
    }

    @Test
    void booleansAreTrueOrFalseOnly() {
        assertTrue(reader("b", "True").bool("b", false));
        IllegalArgumentException e = refused(() -> reader("fast-lists", "off").bool("fast-lists", true));
        assertEquals("fast-lists must be true or false, not 'off'", e.getMessage());
        refused(() -> reader("b", "yes").bool("b", true));
        refused(() -> reader("b", "1").bool("b", true));
    }

    @Test
    void listsRefuseEmptyItems() {
        assertEquals(List.of("a", "b c", "d"), reader("roles", " a , b c,d ").list("roles"));
        for (String bad : List.of("a,,b", "a,", ",a", " , ")) {
            IllegalArgumentException e = refused(() -> reader("roles", bad).list("roles"));
            assertEquals("roles has an empty entry: '" + bad.trim() + "'", e.getMessage());
        }
    }

    @Test
    void entriesSkipEmptyItemsAndSplitAtLineBreaks() {
        assertEquals(List.of("a", "b", "c:d"), reader("e", "a,, b\n\n c:d ,").entries("e"));
    }

    @Test
    void choicesNameEveryAllowedValue() {
        IllegalArgumentException e = refused(() -> reader("delete", "Soft").choice("delete", Mode.SOFT, Mode.values(),
                m -> m.name().toLowerCase()));
        assertEquals("delete must be soft or hard, not 'Soft'", e.getMessage());
        assertEquals(Mode.SOFT, reader("delete", " Soft ").choiceIgnoringCase("delete", Mode.HARD, Mode.values(),
                m -> m.name().toLowerCase()));
    }

    @Test
    void namingAndFailureAreTheCallersOwn() {
        class Bad extends RuntimeException {
            Bad(String message) {
                super(message);
            }
        }
        OptionReader options = reader("hasura.x", "nope").naming(key -> "X (" + key + ")").failingWith(Bad::new);
        Bad e = assertThrows(Bad.class, () -> options.bool("hasura.x", false));
        assertEquals("X (hasura.x) must be true or false, not 'nope'", e.getMessage());
        assertEquals("nope", options.text("hasura.x"), "naming and failure do not change the values read");
    }
}
