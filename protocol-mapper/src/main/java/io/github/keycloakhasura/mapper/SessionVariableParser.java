package io.github.keycloakhasura.mapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The mapper's "Session variables from attributes" and "Groups session variable" options: entries such as
 * {@code org_id}, {@code org_id:org-id} or {@code teams[]:teams}, each becoming one {@code x-hasura-*} name, never
 * twice, never one the mapper always writes and never one Hasura reserves ({@link HasuraReservedNames}).
 */
final class SessionVariableParser {

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    private SessionVariableParser() {
    }

    /** @param entries the option's entries ({@link io.github.keycloakhasura.options.OptionReader#entries}) */
    static List<HasuraMapperConfig.SessionVariable> parse(List<String> entries, Set<String> used) {
        List<HasuraMapperConfig.SessionVariable> result = new ArrayList<>();
        for (String item : entries) {
            String attribute = item;
            String name = null;
            int colon = item.indexOf(':');
            if (colon >= 0) {
                attribute = item.substring(0, colon).trim();
                name = item.substring(colon + 1).trim();
                if (name.isEmpty()) {
                    throw new InvalidMapperConfigException("Session variable entry \"" + item + "\" has an empty name after \":\".");
                }
            }
            boolean forceArray = attribute.endsWith("[]");
            if (forceArray) {
                attribute = attribute.substring(0, attribute.length() - 2).trim();
            }
            if (attribute.isEmpty() || !MapperOptions.NO_WHITESPACE.matcher(attribute).matches()) {
                throw new InvalidMapperConfigException(
                        "Session variable entry \"" + item + "\" must start with a user attribute name (no white space).");
            }
            String variable = variableName("Session variables from attributes", name == null ? attribute : name, used);
            result.add(new HasuraMapperConfig.SessionVariable(attribute, variable, forceArray));
        }
        return List.copyOf(result);
    }

    /**
     * The full {@code x-hasura-*} name for {@code name} given in option {@code option}; never one of Hasura's reserved
     * names ({@link HasuraReservedNames}), never one already {@code used}.
     */
    static String variableName(String option, String name, Set<String> used) {
        HasuraReservedNames.refuse(option, name);
        String bare = name.toLowerCase(Locale.ROOT).startsWith(HasuraMapperConfig.HASURA_PREFIX) ? name.substring(HasuraMapperConfig.HASURA_PREFIX.length()) : name;
        if (!VARIABLE_NAME.matcher(bare).matches()) {
            throw new InvalidMapperConfigException("Session variable name \"" + name
                    + "\" may contain only letters, digits, \"-\" and \"_\" (it becomes x-hasura-<name>).");
        }
        String full = HasuraMapperConfig.HASURA_PREFIX + bare.toLowerCase(Locale.ROOT);
        if (!used.add(full)) {
            throw new InvalidMapperConfigException("Session variable \"" + full
                    + "\" is defined twice or clashes with a claim the mapper always writes.");
        }
        return full;
    }
}
