package io.github.keycloakhasura.mapper;

/**
 * The claims query (session variables from app data) failed and its policy is {@code closed}: no session variables,
 * hence no token, no webhook answer and no {@code whoami { hasura }}. The message says why (a timeout, an HTTP or
 * GraphQL error, a value that is no scalar), never the URL, the query or a token.
 */
public class ClaimsUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClaimsUnavailableException(String message) {
        super(message);
    }
}
