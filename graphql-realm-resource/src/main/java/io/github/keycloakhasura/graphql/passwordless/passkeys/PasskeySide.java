package io.github.keycloakhasura.graphql.passwordless.passkeys;

import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.keycloak.KeycloakBackend;
import io.github.keycloakhasura.graphql.keycloak.KeycloakSide;
import io.github.keycloakhasura.graphql.keycloak.account.Self;
import org.keycloak.models.KeycloakSession;

import java.util.function.Function;

/** The Keycloak side's verified callers and transactions, as the passkey operations use them ({@link KeycloakPasskeys.Side}). */
public record PasskeySide(KeycloakBackend keycloak) implements KeycloakPasskeys.Side {

    @Override
    public <T> T asCaller(Caller caller, TransactionMode mode, String name, Function<Self, T> work) {
        KeycloakSide.VerifiedCaller bearer = keycloak.verified(caller);
        String userId = bearer.user().getId();
        String sessionId = bearer.token().getSessionId();
        String clientUuid = bearer.client().getId();
        return keycloak.transactions().run(mode, name, s -> work.apply(Self.of(s, userId, sessionId, clientUuid)));
    }

    @Override
    public <T> T own(String name, Function<KeycloakSession, T> work) {
        return keycloak.transactions().own(name, work);
    }
}
