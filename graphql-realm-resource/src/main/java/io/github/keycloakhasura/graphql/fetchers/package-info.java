/**
 * The core capability: schema.graphqls (the root types, shared types, {@code @credential}) and the operations not
 * yet moved to a capability package of their own (sign-up, account emails, self-service, the user directory), asked
 * of {@code api.Backend}.
 */
package io.github.keycloakhasura.graphql.fetchers;
