/**
 * The login capability: login.graphqls (tokenAuth), {@code LoginCapability}, the port {@code LoginPort} and its
 * adapter {@code KeycloakLogin} (Keycloak's password grant and required actions, with organization scopes).
 */
package io.github.keycloakhasura.graphql.login;
