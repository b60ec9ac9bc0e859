package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.options.OptionReader;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The user attributes a stored mapper configuration that does not parse could mean, read leniently (an
 * over-approximation, for refusing user edits of attributes a mapper may read once an admin fixes it); see
 * {@link HasuraMapperConfig#userAttributesNamedIn}.
 */
final class BrokenConfigAttributes {

    private BrokenConfigAttributes() {
    }

    static Set<String> namedIn(OptionReader options) {
        Set<String> names = new LinkedHashSet<>();
        names.add(options.text(HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE, HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE_NAME));
        names.add(options.text(HasuraMapperConfig.USER_ID_ATTRIBUTE, ""));
        for (String entry : options.entries(HasuraMapperConfig.SESSION_VARIABLES)) {
            String attribute = (entry.contains(":") ? entry.substring(0, entry.indexOf(':')) : entry).trim();
            names.add(attribute.endsWith("[]") ? attribute.substring(0, attribute.length() - 2).trim() : attribute);
        }
        names.remove("");
        return Collections.unmodifiableSet(names);
    }
}
