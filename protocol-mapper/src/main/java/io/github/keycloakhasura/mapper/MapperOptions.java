package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.options.OptionReader;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The mapper's options as {@link OptionReader} reads them from the flat string map Keycloak stores for a protocol
 * mapper: a bad value is an {@link InvalidMapperConfigException} naming the option as the admin console labels it
 * (where the admin sees the message), e.g. {@code Elevation window (seconds) must be ..., not 'x'.}
 */
final class MapperOptions {

    static final Pattern NO_WHITESPACE = Pattern.compile("\\S+");

    /** The admin console's label of each option (also {@link HasuraMapperProperties}'). */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry(HasuraMapperConfig.CLAIM_NAME, "Claims namespace"),
            Map.entry(HasuraMapperConfig.CLAIMS_FORMAT, "Claims format"),
            Map.entry(HasuraMapperConfig.ROLES_SOURCE, "Roles source"),
            Map.entry(HasuraMapperConfig.ROLES_CLIENT, "Client for client roles"),
            Map.entry(HasuraMapperConfig.ROLES_PREFIX, "Role prefix filter"),
            Map.entry(HasuraMapperConfig.ROLES_PREFIX_STRIP, "Strip role prefix"),
            Map.entry(HasuraMapperConfig.ROLES_ALLOWED, "Allowed roles"),
            Map.entry(HasuraMapperConfig.FALLBACK_ROLE, "Fallback role"),
            Map.entry(HasuraMapperConfig.ROLE_PRIORITY, "Default role priority"),
            Map.entry(HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE, "Default role attribute"),
            Map.entry(HasuraMapperConfig.USER_ID_SOURCE, "User id source"),
            Map.entry(HasuraMapperConfig.USER_ID_ATTRIBUTE, "User id attribute"),
            Map.entry(HasuraMapperConfig.SESSION_VARIABLES, "Session variables from attributes"),
            Map.entry(HasuraMapperConfig.GROUPS_VARIABLE, "Groups session variable"),
            Map.entry(HasuraMapperConfig.ORGANIZATIONS, "Organizations"),
            Map.entry(HasuraMapperConfig.ORGANIZATION_GROUP_ROLES, "Organization group roles"),
            Map.entry(HasuraMapperConfig.ORGANIZATION_ADMIN_ROLE, "Organization admin role"),
            Map.entry(HasuraMapperConfig.ELEVATION_WINDOW, "Elevation window (seconds)"),
            Map.entry(ClaimsQueryOptions.URL, "Claims query URL"),
            Map.entry(ClaimsQueryOptions.QUERY, "Claims query"),
            Map.entry(ClaimsQueryOptions.MAP, "Claims query map"),
            Map.entry(ClaimsQueryOptions.TTL, "Claims query TTL (seconds)"),
            Map.entry(ClaimsQueryOptions.TIMEOUT, "Claims query timeout (ms)"),
            Map.entry(ClaimsQueryOptions.ON_FAILURE, "Claims query on failure"));

    private MapperOptions() {
    }

    static OptionReader reader(Map<String, String> raw) {
        return OptionReader.of(raw::get)
                .naming(MapperOptions::label)
                .failingWith(message -> new InvalidMapperConfigException(message + "."));
    }

    /** The option's label in the admin console (its key when it has none). */
    static String label(String key) {
        return LABELS.getOrDefault(key, key);
    }

    /** A comma-separated list of names (roles), none empty, none with white space. */
    static List<String> names(OptionReader options, String key) {
        List<String> names = options.list(key);
        for (String name : names) {
            if (!NO_WHITESPACE.matcher(name).matches()) {
                throw new InvalidMapperConfigException(label(key) + " entry \"" + name + "\" must not contain white space.");
            }
        }
        return names;
    }
}
