package io.github.keycloakhasura.options;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one reader of option values for every config class of both provider jars: the server's SPI options
 * ({@code Config.Scope::get}) and a protocol mapper's stored string map ({@code map::get}) alike. Each method returns
 * the value or the default when the option is unset or blank, and refuses a bad value with a message naming the
 * option and the value: {@code max-page-size must be a whole number from 1 to 2147483647, not 'ten'}. Immutable.
 */
public final class OptionReader {

    private final Function<String, String> lookup;
    private final Function<String, String> name;
    private final Function<String, ? extends RuntimeException> failure;

    private OptionReader(Function<String, String> lookup, Function<String, String> name,
                         Function<String, ? extends RuntimeException> failure) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.name = Objects.requireNonNull(name, "name");
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    /** Options read through {@code lookup} (null: unset), named by their key, refused as {@link IllegalArgumentException}. */
    public static OptionReader of(Function<String, String> lookup) {
        return new OptionReader(lookup, key -> key, IllegalArgumentException::new);
    }

    /** This reader, naming an option in messages as {@code name} says (e.g. its label and key). */
    public OptionReader naming(Function<String, String> name) {
        return new OptionReader(lookup, name, failure);
    }

    /** This reader, refusing a value with the exception {@code failure} makes of the message. */
    public OptionReader failingWith(Function<String, ? extends RuntimeException> failure) {
        return new OptionReader(lookup, name, failure);
    }

    /** The trimmed value; {@code defaultValue} when unset or blank. */
    public String text(String key, String defaultValue) {
        String raw = lookup.apply(key);
        return raw == null || raw.isBlank() ? defaultValue : raw.trim();
    }

    /** The trimmed value, {@code null} when unset or blank. */
    public String text(String key) {
        return text(key, null);
    }

    /** {@code true} or {@code false} (any case). */
    public boolean bool(String key, boolean defaultValue) {
        String value = text(key);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw refuse(key, "true or false", value);
        };
    }

    /** A whole number from {@code min} to {@code max}. */
    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longInteger(key, defaultValue, min, max);
    }

    /** A whole number from {@code min} to {@code max}. */
    public long longInteger(String key, long defaultValue, long min, long max) {
        return number(key, defaultValue, min, max, "");
    }

    /**
     * A whole number of {@code unit}s (seconds, milliseconds) from {@code min} to {@code max}, never negative.
     *
     * @throws IllegalArgumentException when {@code min} is negative (a programming error, not a bad value)
     */
    public Duration duration(String key, ChronoUnit unit, long defaultValue, long min, long max) {
        if (min < 0) {
            throw new IllegalArgumentException("a duration is never negative: " + key + " min " + min);
        }
        String unitName = unit == ChronoUnit.MILLIS ? "milliseconds" : unit.toString().toLowerCase(Locale.ROOT);
        return Duration.of(number(key, defaultValue, min, max, " " + unitName), unit);
    }

    /**
     * One of {@code choices}, by the text {@code value} gives each (exact, after trimming), e.g. {@code json} or
     * {@code stringified_json}.
     */
    public <E extends Enum<E>> E choice(String key, E defaultValue, E[] choices, Function<E, String> value) {
        return choice(key, defaultValue, choices, value, false);
    }

    /** {@link #choice}, in any case: {@code HEADER} is {@code header}. */
    public <E extends Enum<E>> E choiceIgnoringCase(String key, E defaultValue, E[] choices, Function<E, String> value) {
        return choice(key, defaultValue, choices, value, true);
    }

    private <E extends Enum<E>> E choice(String key, E defaultValue, E[] choices, Function<E, String> value, boolean anyCase) {
        String text = text(key);
        if (text == null) {
            return defaultValue;
        }
        List<String> names = new ArrayList<>();
        for (E choice : choices) {
            String name = value.apply(choice);
            if (anyCase ? name.equalsIgnoreCase(text) : name.equals(text)) {
                return choice;
            }
            names.add(name);
        }
        throw refuse(key, names.size() == 1 ? names.get(0) : String.join(", ", names.subList(0, names.size() - 1))
                + " or " + names.get(names.size() - 1), text);
    }

    /** Comma-separated items, trimmed, in order; none when unset. An empty item ({@code a,,b}, {@code a,}) is refused. */
    public List<String> list(String key) {
        String value = text(key);
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        for (String part : value.split(",", -1)) {
            String item = part.trim();
            if (item.isEmpty()) {
                throw failure.apply(name.apply(key) + " has an empty entry: '" + value + "'");
            }
            items.add(item);
        }
        return items;
    }

    /**
     * Entries separated by commas or line breaks (an option edited as a text area or written with a trailing comma),
     * trimmed, in order; empty entries are skipped.
     */
    public List<String> entries(String key) {
        String value = text(key);
        List<String> items = new ArrayList<>();
        if (value == null) {
            return items;
        }
        for (String part : value.split("[,\\n]")) {
            if (!part.isBlank()) {
                items.add(part.trim());
            }
        }
        return items;
    }

    /** The exception this reader throws for {@code key}'s bad {@code value}: "{@code <name> must be <expected>, not '<value>'}". */
    public RuntimeException refuse(String key, String expected, String value) {
        return failure.apply(name.apply(key) + " must be " + expected + ", not '" + value + "'");
    }

    private long number(String key, long defaultValue, long min, long max, String unit) {
        String value = text(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        String range = max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? min + " or more" : "from " + min + " to " + max;
        throw refuse(key, "a whole number" + (unit.isEmpty() ? "" : " of" + unit) + " " + range, value);
    }
}
