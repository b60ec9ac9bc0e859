package io.github.keycloakhasura.mapper;


import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Keycloak releases these jars are built and tested for (26.4.x to 26.7.x). Every factory of the extension calls
 * {@link #require()} in its {@code init}, so a server of another release refuses to start with a message naming the
 * range, instead of failing later, request by request, on an API that release does not have.
 */
public final class SupportedKeycloak {

    public static final int MAJOR = 26;
    public static final int OLDEST_MINOR = 4;
    public static final int NEWEST_MINOR = 7;
    public static final String RANGE = MAJOR + "." + OLDEST_MINOR + ".x to " + MAJOR + "." + NEWEST_MINOR + ".x";

    /** {@code major.minor}, then anything ({@code .patch}, {@code -SNAPSHOT}, {@code .redhat-00001}, …). */
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+)\\.(\\d+)(?:[.\\-].*)?");

    private SupportedKeycloak() {
    }

    /** Throws when the running Keycloak is outside {@link #RANGE}. */
    public static void require() {
        problem(org.keycloak.common.Version.VERSION).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
    }

    /** Why {@code version} (as {@link org.keycloak.common.Version#VERSION} reports it) is not supported; empty when it is. */
    static Optional<String> problem(String version) {
        String shown = version == null ? "(none)" : version.trim();
        Matcher m = MAJOR_MINOR.matcher(shown);
        if (!m.matches()) {
            return Optional.of(message("Keycloak reports an unreadable version '" + shown + "'"));
        }
        int major;
        int minor;
        try {
            major = Integer.parseInt(m.group(1));
            minor = Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return Optional.of(message("Keycloak reports an unreadable version '" + shown + "'"));
        }
        if (major == MAJOR && minor >= OLDEST_MINOR && minor <= NEWEST_MINOR) {
            return Optional.empty();
        }
        return Optional.of(message("This server is Keycloak " + shown + ", which is not supported"));
    }

    private static String message(String what) {
        return what + ": the Hasura extension for Keycloak (keycloak-hasura " + Version.get()
                + ": hasura-claims-mapper, /realms/{realm}/graphql, /realms/{realm}/hasura) supports Keycloak " + RANGE
                + " only. Run a Keycloak release in that range, or use the extension release built for this one, "
                + "or remove the extension's jars from Keycloak's providers/ directory.";
    }
}
