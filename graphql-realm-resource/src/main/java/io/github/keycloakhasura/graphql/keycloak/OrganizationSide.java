package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.variables.SessionVariables;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.api.UserView;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.Function;

/** This package's grants, callers and transactions, as the organization capability uses them ({@link KeycloakSide}). */
record OrganizationSide(KeycloakSession session, TokenGrants grants, HasuraProfiles profiles, TransactionRunner transactions,
                        String defaultClientId, String managerRole) implements KeycloakSide {

    @Override
    public Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending) {
        return grants.login(username, password, clientId, scope, otp, pending);
    }

    @Override
    public Tokens refresh(String refreshToken, String scope, TransactionMode mode, BiConsumer<KeycloakSession, Tokens> accept,
                          Supplier<GraphqlException> scopeRefused) {
        return grants.refresh(refreshToken, scope, mode, accept, scopeRefused);
    }

    @Override
    public Object claim(String jwt, String name) {
        return Jwts.claim(jwt, name);
    }

    @Override
    public void revoke(String refreshToken) {
        grants.revoke(refreshToken, TransactionMode.OWN);
    }

    @Override
    public VerifiedCaller caller(Caller caller) {
        return BearerCaller.of(caller);
    }

    @Override
    public SessionVariables sessionVariables(Caller caller) {
        return profiles.sessionVariables(BearerCaller.of(caller));
    }

    @Override
    public <T> T run(TransactionMode mode, String name, Function<KeycloakSession, T> work) {
        return transactions.run(mode, name, work);
    }

    @Override
    public UserView view(UserModel user) {
        return UserViews.of(user, null);
    }
}
