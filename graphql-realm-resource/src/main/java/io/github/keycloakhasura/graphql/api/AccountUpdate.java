package io.github.keycloakhasura.graphql.api;

/**
 * What updateAccount answers: the user as changed, and the new email address waiting for its confirmation link
 * (null when no email change is pending).
 */
public record AccountUpdate(UserView user, String emailPending) {
}
