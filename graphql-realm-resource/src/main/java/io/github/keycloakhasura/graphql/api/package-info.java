/**
 * Plain values shared by the capabilities and the Keycloak adapter (errors, tokens, users, transaction modes) and
 * {@code Backend}, the port of the operations not yet in a capability package. No Keycloak type.
 */
package io.github.keycloakhasura.graphql.api;
