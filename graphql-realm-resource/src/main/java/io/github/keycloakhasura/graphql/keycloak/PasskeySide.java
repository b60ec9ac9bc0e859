package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.keycloak.account.Self;
import io.github.keycloakhasura.graphql.passkeys.KeycloakPasskeys;
import org.keycloak.models.KeycloakSession;

import java.util.function.Function;

/** This package's verified callers and transactions, as the passkey capability uses them ({@link KeycloakPasskeys.Side}). */
record PasskeySide(TransactionRunner transactions) implements KeycloakPasskeys.Side {

    @Override
    public <T> T asCaller(Caller caller, TransactionMode mode, String name, Function<Self, T> work) {
        BearerCaller bearer = BearerCaller.of(caller);
        String userId = bearer.user().getId();
        String sessionId = bearer.token().getSessionId();
        String clientUuid = bearer.client().getId();
        return transactions.run(mode, name, s -> work.apply(Self.of(s, userId, sessionId, clientUuid)));
    }

    @Override
    public <T> T own(String name, Function<KeycloakSession, T> work) {
        return transactions.own(name, work);
    }
}
