package io.github.keycloakhasura.options;

import java.util.Locale;

/** Parsing of server option values shared by the providers' config classes; a bad value is a clear start-up error. */
public final class OptionValues {

    private OptionValues() {
    }

    /** {@code true} or {@code false} (any case); unset or blank: {@code defaultValue}. */
    public static boolean bool(String name, String raw, boolean defaultValue) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, not '" + raw + "'");
        };
    }
}
