package io.github.keycloakhasura.outage;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;

/**
 * Ends a request's Keycloak transaction before the answer is built, as Keycloak would right after: so a commit that
 * fails (the database went away between the work and the commit), which would otherwise reach Keycloak's error handler
 * as its 500 {@code unknown_error} after the resource method returned, is answered by the resource like any failure of
 * the request ({@link DatabaseOutage}: 503). Keycloak's own closing of the session then finds the transaction ended.
 * Used by the GraphQL endpoint and the Hasura webhook.
 */
public final class RequestTransaction {

    private static final Logger LOG = Logger.getLogger(RequestTransaction.class);

    private RequestTransaction() {
    }

    /**
     * Rolls the request's transaction back after a failure the resource answers itself (an outage: 503), so Keycloak's
     * closing of the session does not commit it, fail on the lost connection and replace that answer with its 500
     * {@code unknown_error}. A rollback that fails too (the connection is gone) leaves nothing to commit either.
     */
    public static void abandon(KeycloakSession session) {
        KeycloakTransactionManager transaction = session.getTransactionManager();
        try {
            if (transaction.isActive()) {
                transaction.rollback();
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "rolling back the request's transaction after a database outage failed too");
        }
    }

    public static void end(KeycloakSession session) {
        KeycloakTransactionManager transaction = session.getTransactionManager();
        if (transaction.isActive()) {
            if (transaction.getRollbackOnly()) {
                transaction.rollback();
            } else {
                transaction.commit();
            }
        }
    }
}
