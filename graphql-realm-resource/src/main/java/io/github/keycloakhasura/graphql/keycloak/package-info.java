/**
 * The Keycloak adapter: Keycloak's grants, bearer checks, registration, user directory, transactions, and the
 * facade {@code KeycloakBackend} of {@code api.Backend}; capability adapters reach it for grants, callers and
 * transactions. Imports only {@code api} of the GraphQL layers.
 */
package io.github.keycloakhasura.graphql.keycloak;
