package io.github.keycloakhasura.graphql.engine.fastlists;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One completed object of a list (see {@code fastlists.FastLists}): the result keys, shared by every object of
 * the list, and this object's values, in selection order. An immutable map for everything that reads the result;
 * the response writer walks the two arrays directly.
 */
public final class ResultObject extends AbstractMap<String, Object> {

    private final String[] keys;
    private final SerializableString[] jsonKeys;
    private final Object[] values;

    /** {@code jsonKeys}: the same keys, pre-encoded for the JSON writer (made once per list, see {@link #jsonKeys}). */
    public ResultObject(String[] keys, SerializableString[] jsonKeys, Object[] values) {
        if (keys.length != values.length || jsonKeys.length != keys.length) {
            throw new IllegalArgumentException("keys and values differ in length");
        }
        this.keys = keys;
        this.jsonKeys = jsonKeys;
        this.values = values;
    }

    public ResultObject(String[] keys, Object[] values) {
        this(keys, jsonKeys(keys), values);
    }

    /** Keys as Jackson writes field names fastest: quoted and UTF-8 encoded once, then copied. */
    public static SerializableString[] jsonKeys(String[] keys) {
        SerializableString[] encoded = new SerializableString[keys.length];
        for (int i = 0; i < keys.length; i++) {
            encoded[i] = new SerializedString(keys[i]);
        }
        return encoded;
    }

    public SerializableString jsonKey(int i) {
        return jsonKeys[i];
    }

    public int width() {
        return keys.length;
    }

    public String key(int i) {
        return keys[i];
    }

    public Object value(int i) {
        return values[i];
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    private int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
