/**
 * GraphQL endpoint served by Keycloak at /realms/{realm}/graphql (Hasura remote schema). This package holds its
 * options ({@code GraphqlConfig}) only; the layers are its subpackages: {@code spi} (composition root) → {@code http}
 * (transport) → {@code engine} → the capability packages ({@code fetchers}: the core schema, {@code directory}, {@code tokens},
 * {@code account}, {@code signup}, {@code email}, {@code organizations}, {@code passwordless}) through the kernel {@code capability} → {@code keycloak} (the Keycloak adapter), with
 * {@code api} (plain values) beneath. LayerRulesTest and SourceImportLayersTest hold the direction.
 */
package io.github.keycloakhasura.graphql;
