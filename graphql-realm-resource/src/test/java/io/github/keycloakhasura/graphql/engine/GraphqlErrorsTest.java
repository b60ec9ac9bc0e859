package io.github.keycloakhasura.graphql.engine;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;

import graphql.ErrorType;
import graphql.GraphqlErrorBuilder;
import graphql.introspection.IntrospectionDisabledError;
import graphql.language.SourceLocation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
}
