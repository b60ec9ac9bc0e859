/**
 * The user directory capability: whoami, users, usersPage, user and the {@code User} fields (roles, profile, hasura):
 * directory.graphqls, {@code DirectoryCapability}, {@code UserFetchers}, {@code UserPaging}; its port is
 * {@code api.Backend} (the caller and the directory), adapted by {@code keycloak.KeycloakBackend}.
 */
package io.github.keycloakhasura.graphql.directory;
