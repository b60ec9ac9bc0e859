/**
 * Plain values shared by the capabilities and the Keycloak adapter (errors, tokens, users, sessions, transaction
 * modes) and {@code Backend}, the port of the caller and the user directory. No Keycloak type.
 */
package io.github.keycloakhasura.graphql.api;
