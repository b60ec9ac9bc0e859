package io.github.keycloakhasura.graphql;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphqlConfigTest {

    @Test
    void defaults() {
        GraphqlConfig c = GraphqlConfig.defaults();
        assertEquals("hasura-app", c.clientId());
        assertEquals("manager", c.managerRole());
        assertEquals(100, c.maxPageSize());
        assertEquals(GraphqlConfig.Introspection.PUBLIC, c.introspection());
        assertEquals("X-Introspection-Key", c.introspectionHeader());
        assertTrue(c.introspectionAllowed(name -> null));
    }

    @Test
    void readsEveryOption() {
        Map<String, String> raw = Map.of("client-id", "web", "manager-role", "boss", "max-page-size", "10",
                "max-query-depth", "7", "max-query-complexity", "70", "max-request-bytes", "2048", "document-cache-size", "0",
                "introspection", "Header", "introspection-header", "X-Key", "introspection-key", "s3cret");
        GraphqlConfig c = GraphqlConfig.from(raw::get);
        assertEquals("web", c.clientId());
        assertEquals("boss", c.managerRole());
        assertEquals(10, c.maxPageSize());
        assertEquals(7, c.maxQueryDepth());
        assertEquals(70, c.maxQueryComplexity());
        assertEquals(2048, c.maxRequestBytes());
        assertEquals(0, c.documentCacheSize());
        assertEquals(GraphqlConfig.Introspection.HEADER, c.introspection());
        assertTrue(c.introspectionAllowed(Map.of("X-Key", "s3cret")::get));
        assertFalse(c.introspectionAllowed(Map.of("X-Key", "s3cret!")::get));
        assertFalse(c.introspectionAllowed(name -> null));
    }

    @Test
    void fastListsAreOnUnlessTurnedOff() {
        assertTrue(GraphqlConfig.defaults().fastLists());
        assertTrue(GraphqlConfig.from(Map.of("fast-lists", " ")::get).fastLists());
        assertTrue(GraphqlConfig.from(Map.of("fast-lists", "true")::get).fastLists());
        assertFalse(GraphqlConfig.from(Map.of("fast-lists", "false")::get).fastLists());
        assertFalse(GraphqlConfig.from(Map.of("fast-lists", " FALSE ")::get).fastLists());
    }

    @Test
    void introspectionIsReadInAnyCase() {
        assertEquals(GraphqlConfig.Introspection.DISABLED, GraphqlConfig.from(Map.of("introspection", " DISABLED ")::get).introspection());
    }

    @Test
    void numbersAreRefusedWithTheValue() {
        assertMessage("max-query-depth must be a whole number 1 or more, not 'deep'", Map.of("max-query-depth", "deep"));
        assertMessage("document-cache-bytes must be a whole number 0 or more, not '-1'", Map.of("document-cache-bytes", "-1"));
    }

    @Test
    void disabledIntrospection() {
        GraphqlConfig c = GraphqlConfig.from(Map.of("introspection", "disabled")::get);
        assertFalse(c.introspectionAllowed(name -> "anything"));
    }

    @Test
    void invalidValuesNameTheOption() {
        assertMessage("max-page-size", Map.of("max-page-size", "ten"));
        assertMessage("max-page-size", Map.of("max-page-size", "0"));
        assertMessage("document-cache-size", Map.of("document-cache-size", "-1"));
        assertMessage("introspection", Map.of("introspection", "maybe"));
        assertMessage("introspection-key", Map.of("introspection", "header"));
        assertMessage("fast-lists must be true or false, not 'off'", Map.of("fast-lists", "off"));
    }

    private static void assertMessage(String expected, Map<String, String> raw) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphqlConfig.from(raw::get));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
