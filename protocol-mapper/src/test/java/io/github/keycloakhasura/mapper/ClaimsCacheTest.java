package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ClaimsCacheTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private final AtomicLong clock = new AtomicLong(-5 * SECOND); // any origin, even negative (nanoTime)

    private static ClaimsQueryOptions options(String ttl, String map) {
        Map<String, String> raw = new HashMap<>(Map.of(ClaimsQueryOptions.URL, "http://h/v1/graphql",
                ClaimsQueryOptions.QUERY, "query($id: String!) { users_by_pk(id: $id) { plan } }",
                ClaimsQueryOptions.MAP, map));
        raw.put(ClaimsQueryOptions.TTL, ttl);
        return HasuraMapperConfig.parse(raw).claimsQuery();
    }

    @Test
    void aValueLivesItsTtlCountedFromTheQueryAndNeverLonger() {
        ClaimsCache cache = new ClaimsCache(100, clock::get);
        ClaimsCache.Key key = new ClaimsCache.Key("realm", "user", options("60", "users_by_pk.plan:plan"));
        long sentAt = cache.now();
        clock.addAndGet(2 * SECOND); // the answer took two seconds
        cache.put(key, Map.of("x-hasura-plan", "pro"), sentAt);
        assertEquals(Map.of("x-hasura-plan", "pro"), cache.get(key));
        clock.addAndGet(57 * SECOND); // 59 s after the query
        assertEquals(Map.of("x-hasura-plan", "pro"), cache.get(key));
        clock.addAndGet(SECOND); // 60 s: expired
        assertNull(cache.get(key));
        assertEquals(0, cache.size());
    }

    @Test
    void entriesArePerUserAndPerConfiguration() {
        ClaimsCache cache = new ClaimsCache(100, clock::get);
        ClaimsQueryOptions first = options("60", "users_by_pk.plan:plan");
        cache.put(new ClaimsCache.Key("realm", "user", first), Map.of("x-hasura-plan", "pro"), cache.now());
        assertNull(cache.get(new ClaimsCache.Key("realm", "other", first)));
        assertNull(cache.get(new ClaimsCache.Key("realm2", "user", first)));
        assertNull(cache.get(new ClaimsCache.Key("realm", "user", options("60", "users_by_pk.plan:tier"))));
        assertNull(cache.get(new ClaimsCache.Key("realm", "user", options("30", "users_by_pk.plan:plan"))));
        assertEquals(Map.of("x-hasura-plan", "pro"), cache.get(new ClaimsCache.Key("realm", "user",
                options("60", "users_by_pk.plan:plan"))));
    }

    @Test
    void zeroTtlOrALateAnswerKeepsNothing() {
        ClaimsCache cache = new ClaimsCache(100, clock::get);
        ClaimsCache.Key none = new ClaimsCache.Key("realm", "user", options("0", "users_by_pk.plan:plan"));
        cache.put(none, Map.of("x-hasura-plan", "pro"), cache.now());
        assertNull(cache.get(none));
        ClaimsCache.Key late = new ClaimsCache.Key("realm", "user", options("1", "users_by_pk.plan:plan"));
        long sentAt = cache.now();
        clock.addAndGet(SECOND);
        cache.put(late, Map.of("x-hasura-plan", "pro"), sentAt);
        assertEquals(0, cache.size());
    }

    @Test
    void boundedTheLeastRecentlyUsedGoesFirst() {
        ClaimsCache cache = new ClaimsCache(2, clock::get);
        ClaimsQueryOptions options = options("60", "users_by_pk.plan:plan");
        ClaimsCache.Key a = new ClaimsCache.Key("r", "a", options);
        ClaimsCache.Key b = new ClaimsCache.Key("r", "b", options);
        ClaimsCache.Key c = new ClaimsCache.Key("r", "c", options);
        cache.put(a, Map.of("x-hasura-plan", "a"), cache.now());
        cache.put(b, Map.of("x-hasura-plan", "b"), cache.now());
        cache.get(a);
        cache.put(c, Map.of("x-hasura-plan", "c"), cache.now());
        assertEquals(2, cache.size());
        assertNull(cache.get(b));
        assertEquals(Map.of("x-hasura-plan", "a"), cache.get(a));
        assertEquals(Map.of("x-hasura-plan", "c"), cache.get(c));
    }
}
