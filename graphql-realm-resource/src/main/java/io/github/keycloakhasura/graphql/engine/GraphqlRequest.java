package io.github.keycloakhasura.graphql.engine;

import java.util.Map;

/** A GraphQL request: the document, the operation to run and its variables (never null). */
public record GraphqlRequest(String query, String operationName, Map<String, Object> variables) {
    public GraphqlRequest {
        variables = variables == null ? Map.of() : variables;
    }
}
