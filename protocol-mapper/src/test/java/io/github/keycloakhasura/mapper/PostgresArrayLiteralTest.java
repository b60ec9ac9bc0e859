package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PostgresArrayLiteralTest {

    @Test
    void plainElementsAreNotQuoted() {
        assertEquals("{a,b,42}", PostgresArrayLiteral.of(List.of("a", "b", "42")));
        assertEquals("{}", PostgresArrayLiteral.of(List.of()));
    }

    @Test
    void specialElementsAreQuotedAndEscaped() {
        assertEquals("{\"a b\",\"c,d\",\"\",\"say \\\"hi\\\"\",\"back\\\\slash\",\"{x}\",\"null\"}",
                PostgresArrayLiteral.of(List.of("a b", "c,d", "", "say \"hi\"", "back\\slash", "{x}", "null")));
    }

    @Test
    void nullBecomesSqlNull() {
        assertEquals("{a,NULL}", PostgresArrayLiteral.of(Arrays.asList("a", null)));
    }
}
