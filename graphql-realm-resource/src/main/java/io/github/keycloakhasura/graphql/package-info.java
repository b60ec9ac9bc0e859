/** GraphQL endpoint served by Keycloak at /realms/{realm}/graphql (Hasura remote schema). */
package io.github.keycloakhasura.graphql;
