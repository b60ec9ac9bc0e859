package io.github.keycloakhasura.graphql.api;

import java.util.Map;

/**
 * An error a fetcher reports on purpose: its message is shown to the caller as is, with {@code extensions.code}.
 * Carries no stack trace (it is an answer, not a bug) and never wraps a cause whose text could leak.
 */
public final class GraphqlException extends RuntimeException {

    /** The message of every unexpected failure (the server log has the details under an error id). */
    public static final String INTERNAL_MESSAGE = "Internal server error";

    private final ErrorCode code;
    private final Map<String, Object> extensions;

    public GraphqlException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public GraphqlException(ErrorCode code, String message, Map<String, Object> extensions) {
        super(message, null, false, false);
        this.code = code;
        this.extensions = Map.copyOf(extensions);
    }

    public ErrorCode code() {
        return code;
    }

    /** Extra, safe extension entries (e.g. {@code field} for a sign-up validation error). */
    public Map<String, Object> extensions() {
        return extensions;
    }

    public static GraphqlException unauthenticated(String message) {
        return new GraphqlException(ErrorCode.UNAUTHENTICATED, message);
    }

    public static GraphqlException forbidden(String message) {
        return new GraphqlException(ErrorCode.FORBIDDEN, message);
    }

    public static GraphqlException badInput(String message) {
        return new GraphqlException(ErrorCode.BAD_USER_INPUT, message);
    }

    public static GraphqlException notFound(String message) {
        return new GraphqlException(ErrorCode.NOT_FOUND, message);
    }
}
