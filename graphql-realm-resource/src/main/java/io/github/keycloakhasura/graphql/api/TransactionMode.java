package io.github.keycloakhasura.graphql.api;

/**
 * In which Keycloak transaction a mutation runs; chosen by the fetchers from the operation's shape and passed with
 * each call (never set on the backend beforehand).
 */
public enum TransactionMode {

    /**
     * The HTTP request's own transaction, as at Keycloak's native endpoints: for a mutation that is the operation's
     * only root field. A failure marks it rollback-only.
     */
    REQUEST,

    /**
     * A new Keycloak session and transaction, committed before the GraphQL response: for each of several root
     * fields, so one failing field does not undo another.
     */
    OWN
}
