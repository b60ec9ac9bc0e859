package io.github.keycloakhasura.graphql.engine;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;

import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.Scalars;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.ExecutionStepInfo;
import graphql.execution.MergedField;
import graphql.execution.ResultPath;
import graphql.language.Field;
import graphql.schema.DataFetchingEnvironmentImpl;
import org.keycloak.models.ModelException;
import graphql.GraphqlErrorBuilder;
import graphql.introspection.IntrospectionDisabledError;
import graphql.language.SourceLocation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphqlErrorsTest {

    @Test
    void ourCodesAndExtraExtensionsAreKeptClassificationIsDropped() {
        Map<String, Object> spec = GraphqlErrors.toSpecification(GraphqlErrorBuilder.newError()
                .message("Username already exists.")
                .location(new SourceLocation(1, 12))
                .path(List.of("createUser"))
                .extensions(Map.of("code", "BAD_USER_INPUT", "fields", List.of(Map.of("field", "username"))))
                .errorType(ErrorType.DataFetchingException)
                .build());
        assertEquals("Username already exists.", spec.get("message"));
        assertEquals(List.of(Map.of("line", 1, "column", 12)), spec.get("locations"));
        assertEquals(List.of("createUser"), spec.get("path"));
        assertEquals(Map.of("code", "BAD_USER_INPUT", "fields", List.of(Map.of("field", "username"))), spec.get("extensions"));
    }

    @Test
    void graphqlJavaErrorsAreClassified() {
        assertEquals(ErrorCode.BAD_USER_INPUT, GraphqlErrors.codeOf(GraphqlErrorBuilder.newError().message("x")
                .errorType(ErrorType.ValidationError).build()));
        assertEquals(ErrorCode.BAD_USER_INPUT, GraphqlErrors.codeOf(GraphqlErrorBuilder.newError().message("x")
                .errorType(ErrorType.InvalidSyntax).build()));
        assertEquals(ErrorCode.FORBIDDEN, GraphqlErrors.codeOf(new IntrospectionDisabledError(new SourceLocation(1, 1))));
    }

    @Test
    void unknownErrorsBecomeInternalWithoutTheirText() {
        Map<String, Object> spec = GraphqlErrors.toSpecification(GraphqlErrorBuilder.newError()
                .message("Exception while fetching data (/x) : java.sql.SQLException: password=hunter2")
                .errorType(ErrorType.DataFetchingException).build());
        assertEquals("Internal server error", spec.get("message"));
        assertEquals(Map.of("code", "INTERNAL"), spec.get("extensions"));
        assertFalse(spec.toString().contains("hunter2"));
    }

    /** What the handler makes of a fetcher's exception, as sent. */
    private static Map<String, Object> handled(Throwable exception) throws Exception {
        var env = DataFetchingEnvironmentImpl.newDataFetchingEnvironment()
                .mergedField(MergedField.newMergedField(new Field("users")).build())
                .executionStepInfo(ExecutionStepInfo.newExecutionStepInfo().type(Scalars.GraphQLString)
                        .path(ResultPath.rootPath().segment("users")).build())
                .build();
        GraphQLError error = new GraphqlErrors().handleException(DataFetcherExceptionHandlerParameters.newExceptionParameters()
                .dataFetchingEnvironment(env).exception(exception).build()).get().getErrors().get(0);
        return GraphqlErrors.toSpecification(error);
    }

    @Test
    void aDatabaseOutageIsUnavailableWithoutItsDetailsAnyOtherFailureInternal() throws Exception {
        Map<String, Object> outage = handled(new ModelException("Database operation failed",
                new java.sql.SQLException("Connection to db.internal:5432 refused", "08001")));
        assertEquals(Map.of("code", "UNAVAILABLE"), outage.get("extensions"));
        assertTrue(String.valueOf(outage.get("message")).startsWith("The service is temporarily unavailable"));
        assertFalse(outage.toString().contains("db.internal"));
        Map<String, Object> other = handled(new ModelException("Database operation failed",
                new java.sql.SQLException("duplicate key", "23505")));
        assertEquals(Map.of("code", "INTERNAL"), other.get("extensions"));
    }
}
