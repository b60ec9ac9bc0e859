package io.github.keycloakhasura.graphql.api;

import java.util.Map;

/**
 * A user as the API shows it (no credentials). {@code roles} and {@code profile} are resolved lazily by the fetchers;
 * {@code hasuraRole} and {@code hasura} are filled in only where they are already known (whoami, createUser).
 *
 * @param dateJoined when the user was created (ISO-8601), or null
 * @param hasura     the caller's Hasura session variables (whoami only)
 */
public record UserView(String id, String username, String email, String firstName, String lastName,
                       boolean emailVerified, boolean isActive, String dateJoined, String hasuraRole,
                       Map<String, Object> hasura) {
}
