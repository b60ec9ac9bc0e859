package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.mapper.HasuraSessionVariables;
import org.keycloak.models.RealmModel;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The user attributes that feed Hasura are never the user's to edit: whatever the realm's user profile allows (an
 * unmanaged-attribute policy of ENABLED, an attribute users may edit), an attribute any Hasura claims mapper of the
 * realm reads ({@link HasuraSessionVariables#attributesReadIn}; for a mapper whose stored options do not parse,
 * every attribute they name) is refused by updateAccount.
 */
final class HasuraAttributes {

    static final String READ_BY_HASURA = "read by the realm's Hasura claims mapper (session variables, user id, "
            + "default role): only an admin may change it";

    private HasuraAttributes() {
    }

    /** BAD_USER_INPUT naming each of {@code names} a Hasura mapper of the realm reads (compared ignoring case). */
    static void refuseChangesOfAttributesTheMappersRead(RealmModel realm, Set<String> names) {
        if (names.isEmpty()) {
            return;
        }
        Set<String> read = HasuraSessionVariables.attributesReadIn(realm).stream()
                .map(name -> name.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<String> refused = names.stream().filter(name -> read.contains(name.toLowerCase(Locale.ROOT))).toList();
        if (!refused.isEmpty()) {
            throw AccountProfile.notEditable(refused, READ_BY_HASURA);
        }
    }
}
