package io.github.keycloakhasura.outage;

import org.keycloak.models.ModelException;

import javax.transaction.xa.XAException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;

/**
 * The one rule that tells a failure of the database's availability (PostgreSQL down, restarting, refusing or
 * dropping connections, the pool unable to hand one out) from any other failure, whatever wraps it on the way up
 * (JPA's {@code PersistenceException}, Hibernate's {@code JDBCConnectionException}, Keycloak's {@code ModelException},
 * Infinispan's persistence exceptions, the transaction manager's commit failure with the cause as suppressed). Such a
 * failure is answered "temporarily unavailable, retry" (HTTP 503, GraphQL {@code UNAVAILABLE}), not as an internal
 * error; the stack trace stays in the server log. JDBC's own types are looked at, so it holds for every driver and pool
 * that reports a connection failure the JDBC way; and Keycloak's {@link ModelException} over a network failure (its
 * storage layer wraps a refused connection as "Database operation failed" caused by the {@code ConnectException}
 * alone, as at the commit of a persistent user session), which only a store it cannot reach produces.
 */
public final class DatabaseOutage {

    /** The message every such answer carries: no detail of the database, its host or the exception. */
    public static final String MESSAGE = "The service is temporarily unavailable (its database cannot be reached); retry shortly";

    /** Seconds a client should wait before retrying: the {@code Retry-After} of a 503. */
    public static final int RETRY_AFTER_SECONDS = 5;

    private static final int MAX_EXCEPTIONS = 64;

    private DatabaseOutage() {
    }

    /** Whether {@code failure}, one of its causes or a suppressed exception says the database cannot be reached. */
    public static boolean isCause(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        if (failure != null) {
            pending.add(failure);
        }
        boolean model = false;
        boolean network = false;
        while (!pending.isEmpty() && seen.size() < MAX_EXCEPTIONS) {
            Throwable current = pending.poll();
            if (!seen.add(current)) {
                continue;
            }
            if (unavailable(current)) {
                return true;
            }
            model |= current instanceof ModelException;
            network |= current instanceof SocketException || current instanceof SocketTimeoutException;
            if (current instanceof SQLException sql && sql.getNextException() != null) {
                pending.add(sql.getNextException());
            }
            if (current.getCause() != null) {
                pending.add(current.getCause());
            }
            Collections.addAll(pending, current.getSuppressed());
        }
        return model && network;
    }

    private static boolean unavailable(Throwable t) {
        if (t instanceof SQLTransientConnectionException) {
            return true;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") // connection exception (refused, broken, lost)
                    || state.equals("57P01") || state.equals("57P02") || state.equals("57P03") // PostgreSQL shutting down, not yet up
                    || state.equals("53300"))) { // too many connections
                return true;
            }
            // The pool (Agroal) with no connection to hand out in time: "Sorry, acquisition timeout!" and the like.
            String message = sql.getMessage();
            return message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout");
        }
        // The transaction manager's resource could not reach the database at commit or rollback.
        return t instanceof XAException xa && (xa.errorCode == XAException.XA_RBCOMMFAIL || xa.errorCode == XAException.XAER_RMFAIL);
    }
}
