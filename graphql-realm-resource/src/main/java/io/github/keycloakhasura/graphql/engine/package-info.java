/**
 * The GraphQL engine: graphql-java, admission (document cache, query and mutation limits), the list fast path, and
 * {@code SchemaAssembly}, which merges the capabilities' schema parts. Knows no operation: the credential fields are
 * the schema's {@code @credential} marks. Imports only {@code capability} and {@code api}.
 */
package io.github.keycloakhasura.graphql.engine;
