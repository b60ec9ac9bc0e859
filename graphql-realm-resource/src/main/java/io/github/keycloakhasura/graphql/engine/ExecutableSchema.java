package io.github.keycloakhasura.graphql.engine;

import graphql.schema.GraphQLSchema;

import java.util.List;

/**
 * The schema the engine serves and what the engine reads from the capabilities' SDL before serving it: the mutation
 * fields marked {@code @credential} (in schema order), which {@code MutationLimits} allows once per request.
 */
public record ExecutableSchema(GraphQLSchema graphql, List<String> credentialFields) {

    public ExecutableSchema {
        credentialFields = List.copyOf(credentialFields);
    }
}
