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
