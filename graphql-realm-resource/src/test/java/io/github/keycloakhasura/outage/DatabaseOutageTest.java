package io.github.keycloakhasura.outage;

import org.junit.jupiter.api.Test;
import org.keycloak.models.ModelException;

import javax.transaction.xa.XAException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseOutageTest {

    /** As Keycloak's ModelException wraps JPA's PersistenceException wraps Hibernate's JDBCConnectionException. */
    private static RuntimeException wrapped(Throwable cause) {
        return new RuntimeException("ModelException", new IllegalStateException("PersistenceException",
                new RuntimeException("JDBCConnectionException: Unable to acquire JDBC Connection", cause)));
    }

    @Test
    void connectionRefusedBrokenOrShuttingDownAnywhereInTheCausesIsAnOutage() {
        assertTrue(DatabaseOutage.isCause(wrapped(new SQLException("Connection to localhost:5432 refused", "08001"))));
        assertTrue(DatabaseOutage.isCause(wrapped(new SQLException("An I/O error occurred while sending to the backend", "08006"))));
        assertTrue(DatabaseOutage.isCause(wrapped(new SQLException("terminating connection due to administrator command", "57P01"))));
        assertTrue(DatabaseOutage.isCause(wrapped(new SQLException("the database system is starting up", "57P03"))));
        assertTrue(DatabaseOutage.isCause(wrapped(new SQLException("too many connections", "53300"))));
        assertTrue(DatabaseOutage.isCause(wrapped(new SQLTransientConnectionException("gone"))));
        assertTrue(DatabaseOutage.isCause(wrapped(new SQLException("Sorry, acquisition timeout!"))));
    }

    @Test
    void aCommitFailureWithTheCauseOnlySuppressedOrAsAnXaErrorIsAnOutage() {
        RuntimeException commit = new RuntimeException("RollbackException: ARJUNA016053 Could not commit transaction");
        commit.addSuppressed(new RuntimeException(new SQLException("connection lost", "08003")));
        assertTrue(DatabaseOutage.isCause(commit));
        assertTrue(DatabaseOutage.isCause(wrapped(new XAException(XAException.XA_RBCOMMFAIL))));
        assertTrue(DatabaseOutage.isCause(wrapped(new XAException(XAException.XAER_RMFAIL))));
        SQLException batch = new SQLException("Batch entry 0 failed", "S1000");
        batch.setNextException(new SQLException("connection lost", "08006"));
        assertTrue(DatabaseOutage.isCause(batch));
    }

    @Test
    void keycloaksModelExceptionOverARefusedConnectionIsAnOutageAndANetworkFailureAloneIsNot() {
        // As logged by Keycloak 26.7 committing a persistent user session while PostgreSQL was down.
        ModelException commit = new ModelException("Database operation failed", new java.net.ConnectException("Connection refused"));
        assertTrue(DatabaseOutage.isCause(new RuntimeException(commit)));
        assertTrue(DatabaseOutage.isCause(new ModelException("Database operation failed", new java.net.SocketTimeoutException("Read timed out"))));
        assertFalse(DatabaseOutage.isCause(new RuntimeException(new java.net.ConnectException("Connection refused"))));
        assertFalse(DatabaseOutage.isCause(new ModelException("Database operation failed", new IllegalStateException("other"))));
    }

    @Test
    void otherDatabaseErrorsAndOtherFailuresAreNot() {
        assertFalse(DatabaseOutage.isCause(wrapped(new SQLIntegrityConstraintViolationException("duplicate key", "23505"))));
        assertFalse(DatabaseOutage.isCause(wrapped(new SQLException("syntax error", "42601"))));
        assertFalse(DatabaseOutage.isCause(wrapped(new SQLException("no state"))));
        assertFalse(DatabaseOutage.isCause(wrapped(new XAException(XAException.XAER_NOTA))));
        assertFalse(DatabaseOutage.isCause(new IllegalStateException("08001 is only text here")));
        assertFalse(DatabaseOutage.isCause(null));
    }

    @Test
    void aCycleOfCausesEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(DatabaseOutage.isCause(a));
        a.addSuppressed(new SQLException("refused", "08001"));
        assertTrue(DatabaseOutage.isCause(b));
    }
}
