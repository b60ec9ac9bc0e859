package io.github.keycloakhasura.graphql.api;

/**
 * A user as the API shows it (no credentials). {@code roles}, {@code profile} and {@code hasura} are resolved lazily
 * by the fetchers; {@code hasuraRole} is filled in only where it is already known (createUser, from the new tokens).
 *
 * @param dateJoined when the user was created (ISO-8601), or null
 */
public record UserView(String id, String username, String email, String firstName, String lastName,
                       boolean emailVerified, boolean isActive, String dateJoined, String hasuraRole) {
}
