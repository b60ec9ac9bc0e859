package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The parsed-config memo the mapper uses on every token. */
class HasuraMapperConfigCacheTest {

    @Test
    void sameContentSameConfigAndAnEditIsSeenAtOnce() {
        Map<String, String> raw = new HashMap<>(Map.of("hasura.roles.fallback", "reader"));
        HasuraMapperConfig first = HasuraMapperConfig.cached(raw);
        assertSame(first, HasuraMapperConfig.cached(new HashMap<>(raw)));
        raw.put("hasura.roles.fallback", "writer");
        HasuraMapperConfig edited = HasuraMapperConfig.cached(raw);
        assertNotSame(first, edited);
        assertEquals(HasuraMapperConfig.parse(raw).fallbackRole(), edited.fallbackRole());
        assertSame(HasuraMapperConfig.cached(null), HasuraMapperConfig.cached(Map.of()));
    }

    @Test
    void invalidConfigsThrowEveryTime() {
        Map<String, String> bad = Map.of("hasura.claims.format", "yaml");
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.cached(bad));
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.cached(bad));
    }
}
