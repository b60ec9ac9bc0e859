package io.github.keycloakhasura.mapper;


import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A claims query's values per user and per configuration, each for its TTL counted from when its query was sent, so a
 * value is never older than the TTL; bounded (least recently used out first). Only answers are kept, never
 * failures. One instance per Keycloak node, held by the mapper's factory; the clock is injected (nanoseconds).
 */
public final class ClaimsCache {

    /**
     * What an entry is for: the realm, the user, and the whole claims query configuration (another URL, query or map
     * never reads an entry of the old one).
     */
    public record Key(String realmId, String userId, ClaimsQueryOptions options) {
    }

    private record Entry(Map<String, String> values, long expiresAt) {
    }

    private final int maxEntries;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<Key, Entry> entries;

    public ClaimsCache(int maxEntries, LongSupplier nanoClock) {
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.nanoClock = nanoClock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > ClaimsCache.this.maxEntries;
            }
        };
    }

    /** The clock reading to pass to {@link #put} for a query sent now. */
    public long now() {
        return nanoClock.getAsLong();
    }

    /** The values stored for {@code key} if their TTL has not run out; else null (and the entry is dropped). */
    public synchronized Map<String, String> get(Key key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (nanoClock.getAsLong() - entry.expiresAt >= 0) {
            entries.remove(key);
            return null;
        }
        return entry.values;
    }

    /**
     * Keeps {@code values} for {@code key} until {@code sentAt} (the clock when the query was sent) plus the TTL of
     * the key's options; a zero TTL keeps nothing.
     */
    public synchronized void put(Key key, Map<String, String> values, long sentAt) {
        Duration ttl = key.options().ttl();
        if (ttl.isZero() || maxEntries == 0) {
            return;
        }
        long expiresAt = sentAt + ttl.toNanos();
        if (nanoClock.getAsLong() - expiresAt >= 0) {
            return; // the answer came after its own TTL
        }
        entries.put(key, new Entry(Map.copyOf(values), expiresAt));
    }

    public synchronized int size() {
        return entries.size();
    }
}
