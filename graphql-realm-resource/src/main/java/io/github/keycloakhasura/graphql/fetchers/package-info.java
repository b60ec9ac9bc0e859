/**
 * The core capability: schema.graphqls (the root types, shared types, {@code @credential}, tokenAuth's declaration)
 * and the operations not yet moved to a capability package of their own (createUser; whoami, users, usersPage, user),
 * asked of {@code api.Backend}.
 */
package io.github.keycloakhasura.graphql.fetchers;
