package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.TransactionMode;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.function.Function;

/**
 * Runs a unit of work in the Keycloak transaction a {@link TransactionMode} names. Each mutation either happens
 * completely or not at all, whatever the other fields of the same GraphQL request do; error events and brute-force
 * bookkeeping are written by Keycloak in their own transactions and survive a rollback.
 * <p>
 * tokenAuth, createUser and the account emails always use {@link #own}: Keycloak's blocking brute-force protector
 * releases a user only after the login's transaction and its off-thread bookkeeping end, and ending the login
 * before the HTTP response (as a transaction of its own does) lets a client log the same user in again right away
 * (tokenAuth then also waits for the off-thread part: {@link LoginRelease}).
 * Their cost is the password hash, which dwarfs a session.
 */
public final class TransactionRunner {

    private final KeycloakSession session;

    TransactionRunner(KeycloakSession session) {
        this.session = session;
    }

    /** The HTTP request's Keycloak session. */
    KeycloakSession session() {
        return session;
    }

    /**
     * {@link TransactionMode#REQUEST}: the HTTP request's own transaction, as at the native endpoint (no second
     * session); a failure marks it rollback-only. {@link TransactionMode#OWN}: {@link #own}.
     */
    public <T> T run(TransactionMode mode, String name, Function<KeycloakSession, T> work) {
        if (mode != TransactionMode.REQUEST) {
            return own(name, work);
        }
        try {
            return work.apply(session);
        } catch (RuntimeException e) {
            session.getTransactionManager().setRollbackOnly();
            throw e;
        }
    }

    /** A new Keycloak session and transaction, seeing this request's HTTP context, committed before the response. */
    public <T> T own(String name, Function<KeycloakSession, T> work) {
        KeycloakContext outer = session.getContext();
        HttpRequest request = outer.getHttpRequest();
        var response = outer.getHttpResponse();
        var connection = outer.getConnection();
        return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), outer, inner -> {
            inner.getContext().setHttpRequest(request);
            inner.getContext().setHttpResponse(response);
            inner.getContext().setConnection(connection);
            return work.apply(inner);
        }, "GraphQL " + name);
    }
}
