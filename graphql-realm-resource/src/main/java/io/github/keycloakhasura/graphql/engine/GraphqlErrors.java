package io.github.keycloakhasura.graphql.engine;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerParameters;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.introspection.IntrospectionDisabledError;
import graphql.language.SourceLocation;
import graphql.validation.ValidationErrorClassification;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.mapper.ClaimsUnavailableException;
import io.github.keycloakhasura.mapper.ClaimsUnavailableResponse;
import io.github.keycloakhasura.outage.DatabaseOutage;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Every GraphQL error leaves this endpoint with {@code extensions.code} (an {@link ErrorCode}) and a message that
 * is either ours ({@link GraphqlException}) or graphql-java's own syntax/validation text; anything else becomes
 * INTERNAL with a generic message and an id to find the stack trace in the server log, except a database outage
 * ({@link DatabaseOutage}): UNAVAILABLE, as generic, with an id too.
 */
public final class GraphqlErrors implements DataFetcherExceptionHandler {

    private static final Logger LOG = Logger.getLogger(GraphqlErrors.class);
    public static final String INTERNAL_MESSAGE = GraphqlException.INTERNAL_MESSAGE;

    @Override
    public CompletableFuture<DataFetcherExceptionHandlerResult> handleException(DataFetcherExceptionHandlerParameters parameters) {
        Throwable exception = unwrap(parameters.getException());
        GraphqlErrorBuilder<?> builder = GraphqlErrorBuilder.newError()
                .path(parameters.getPath())
                .location(parameters.getSourceLocation());
        if (exception instanceof GraphqlException known) {
            Map<String, Object> extensions = new LinkedHashMap<>(known.extensions());
            extensions.put("code", known.code().name());
            builder.message(known.getMessage()).extensions(extensions);
        } else if (exception instanceof ClaimsUnavailableResponse refused) {
            // A token issued in process (refresh, switchOrganization, loginWithLink…) whose claims query failed.
            builder.message(refused.getErrorDescription()).extensions(Map.of("code", ErrorCode.CLAIMS_UNAVAILABLE.name()));
        } else if (exception instanceof ClaimsUnavailableException unavailable) {
            // Session variables computed for a live token (whoami without Hasura claims in its token).
            builder.message(unavailable.getMessage()).extensions(Map.of("code", ErrorCode.CLAIMS_UNAVAILABLE.name()));
        } else if (DatabaseOutage.isCause(exception)) {
            String id = UUID.randomUUID().toString();
            LOG.warnf(exception, "GraphQL field %s failed: the database cannot be reached (error id %s)", parameters.getPath(), id);
            builder.message(DatabaseOutage.MESSAGE + " (error id " + id + ")")
                    .extensions(Map.of("code", ErrorCode.UNAVAILABLE.name()));
        } else {
            String id = UUID.randomUUID().toString();
            LOG.errorf(exception, "GraphQL field %s failed (error id %s)", parameters.getPath(), id);
            builder.message(INTERNAL_MESSAGE + " (error id " + id + ")")
                    .extensions(Map.of("code", ErrorCode.INTERNAL.name()));
        }
        return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(builder.build()).build());
    }

    private static Throwable unwrap(Throwable exception) {
        Throwable current = exception;
        while ((current instanceof CompletionException || current instanceof java.util.concurrent.ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** The code of an error produced anywhere in graphql-java or by our fetchers. */
    public static ErrorCode codeOf(GraphQLError error) {
        Map<String, Object> extensions = error.getExtensions();
        if (extensions != null && extensions.get("code") instanceof String code) {
            for (ErrorCode known : ErrorCode.values()) {
                if (known.name().equals(code)) {
                    return known;
                }
            }
        }
        if (error instanceof IntrospectionDisabledError) {
            return ErrorCode.FORBIDDEN;
        }
        ErrorClassification type = error.getErrorType();
        if (type == ErrorType.InvalidSyntax || type == ErrorType.ValidationError || type == ErrorType.ExecutionAborted
                || type == ErrorType.OperationNotSupported || type instanceof ValidationErrorClassification
                || "BadFaithIntrospection".equals(String.valueOf(type))) {
            return ErrorCode.BAD_USER_INPUT;
        }
        return ErrorCode.INTERNAL;
    }

    /** The error as sent: message, locations, path and extensions (code plus our own safe entries), nothing else. */
    public static Map<String, Object> toSpecification(GraphQLError error) {
        ErrorCode code = codeOf(error);
        Map<String, Object> spec = new LinkedHashMap<>();
        boolean ours = error.getExtensions() != null && error.getExtensions().get("code") instanceof String;
        String message = error.getMessage();
        if (code == ErrorCode.INTERNAL && !ours) {
            // e.g. a non-null field that came back null: graphql-java's text is harmless but says nothing useful.
            LOG.warnf("GraphQL error without a known classification: %s", message);
            message = INTERNAL_MESSAGE;
        }
        spec.put("message", message == null ? INTERNAL_MESSAGE : message);
        List<SourceLocation> locations = error.getLocations();
        if (locations != null && !locations.isEmpty()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (SourceLocation location : locations) {
                if (location != null) {
                    Map<String, Object> at = new LinkedHashMap<>(); // line, then column (Map.of's order varies by JVM)
                    at.put("line", location.getLine());
                    at.put("column", location.getColumn());
                    list.add(at);
                }
            }
            if (!list.isEmpty()) {
                spec.put("locations", list);
            }
        }
        if (error.getPath() != null && !error.getPath().isEmpty()) {
            spec.put("path", error.getPath());
        }
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", code.name());
        if (ours) {
            error.getExtensions().forEach((key, value) -> {
                if (!key.equals("code") && !key.equals("classification")) {
                    extensions.put(key, value);
                }
            });
        }
        spec.put("extensions", extensions);
        return spec;
    }
}
