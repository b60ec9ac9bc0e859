package io.github.keycloakhasura.mapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reading the flat string map Keycloak stores for a protocol mapper: trimmed text, booleans, comma-separated lists. */
final class MapperOptionValues {

    static final Pattern NO_WHITESPACE = Pattern.compile("\\S+");

    private MapperOptionValues() {
    }

    static String text(Map<String, String> raw, String key, String defaultValue) {
        String value = raw.get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return value.trim();
    }

    static boolean bool(Map<String, String> raw, String key, boolean defaultValue) {
        String value = text(raw, key, "");
        if (value.isEmpty()) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidMapperConfigException("\"" + key + "\" must be true or false, not \"" + value + "\".");
    }

    /** A whole number of seconds from 0 to {@code max}; {@code defaultValue} when unset. */
    static int seconds(Map<String, String> raw, String key, int defaultValue, int max, String label) {
        String value = text(raw, key, String.valueOf(defaultValue));
        try {
            int seconds = Integer.parseInt(value);
            if (seconds >= 0 && seconds <= max) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidMapperConfigException(label + " must be a number of seconds from 0 (off) to " + max + ", not \"" + value + "\".");
    }

    static List<String> list(Map<String, String> raw, String key, String label) {
        String value = text(raw, key, "");
        List<String> result = new ArrayList<>();
        if (value.isEmpty()) {
            return result;
        }
        for (String part : value.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                throw new InvalidMapperConfigException(label + " has an empty entry: \"" + value + "\".");
            }
            if (!NO_WHITESPACE.matcher(item).matches()) {
                throw new InvalidMapperConfigException(label + " entry \"" + item + "\" must not contain white space.");
            }
            result.add(item);
        }
        return result;
    }
}
