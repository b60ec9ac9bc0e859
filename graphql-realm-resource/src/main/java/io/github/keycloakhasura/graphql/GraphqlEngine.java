package io.github.keycloakhasura.graphql;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.introspection.Introspection;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link GraphQL} instance (schema, query depth and complexity limits, document cache, error handling), built
 * once per server by the factory and shared by all requests: it holds no per-request state.
 */
final class GraphqlEngine {

    private final GraphQL graphql;
    private final GraphQLSchema schema;
    private final DocumentCache documents;

    GraphqlEngine(GraphqlConfig config) {
        this.schema = Wiring.schema();
        this.documents = new DocumentCache(config.documentCacheSize());
        this.graphql = GraphQL.newGraphQL(schema)
                .instrumentation(new ChainedInstrumentation(List.of(
                        new MaxQueryDepthInstrumentation(config.maxQueryDepth()),
                        new MaxQueryComplexityInstrumentation(config.maxQueryComplexity()))))
                .preparsedDocumentProvider(documents)
                .defaultDataFetcherExceptionHandler(new GraphqlErrors())
                .build();
    }

    GraphQLSchema schema() {
        return schema;
    }

    int cachedDocuments() {
        return documents.size();
    }

    /** The answer to a request: the spec's {@code data}/{@code errors} map and whether it is a request error. */
    record Outcome(Map<String, Object> body, boolean requestError) {
    }

    Outcome execute(GraphqlHttp.Request request, RequestContext context, boolean introspectionAllowed) {
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.query())
                .operationName(request.operationName())
                .variables(request.variables())
                .graphQLContext(Map.of(RequestContext.class, context, Introspection.INTROSPECTION_DISABLED, !introspectionAllowed))
                .build();
        ExecutionResult result = graphql.execute(input);
        Map<String, Object> body = new LinkedHashMap<>();
        if (!result.getErrors().isEmpty()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (GraphQLError error : result.getErrors()) {
                errors.add(GraphqlErrors.toSpecification(error));
            }
            body.put("errors", errors);
        }
        if (result.isDataPresent()) {
            body.put("data", result.getData());
        }
        return new Outcome(body, !result.isDataPresent());
    }

    /**
     * The type of the operation a request would run, for the GET rule (queries only); null when the document does
     * not parse or names no single operation (execution then reports the error).
     */
    static OperationDefinition.Operation operation(String query, String operationName) {
        Document document;
        try {
            document = Parser.parse(query);
        } catch (RuntimeException e) {
            return null;
        }
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operationName == null) {
            return operations.size() == 1 ? operations.get(0).getOperation() : null;
        }
        return operations.stream().filter(op -> operationName.equals(op.getName()))
                .findFirst().map(OperationDefinition::getOperation).orElse(null);
    }
}
