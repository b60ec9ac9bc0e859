package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.api.Account;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.passwordless.KeycloakPasswordless;
import io.github.keycloakhasura.graphql.passwordless.Passwordless;
import io.github.keycloakhasura.trust.TrustBoundary;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Backend} on Keycloak, one instance per HTTP request: a facade that hands each operation to the class
 * that owns it (grants, registration, callers, the user directory, self-service, account emails). This package and
 * {@code account} are the only code of the GraphQL endpoint that touches Keycloak's internals.
 */
public final class KeycloakBackend implements Backend {

    private final TransactionRunner transactions;
    private final Bearers bearers;
    private final TokenGrants grants;
    private final Registration registration;
    private final UserDirectory directory;
    private final HasuraProfiles profiles;
    private final AccountEmailService emails;
    private final KeycloakPasswordless passwordless;

    public KeycloakBackend(KeycloakSession session, GraphqlConfig config, TrustBoundary trust) {
        TransactionRunner runner = new TransactionRunner(session);
        this.transactions = runner;
        this.bearers = new Bearers(session, trust, runner);
        this.grants = new TokenGrants(config.clientId(), new GrantChecks(trust), runner);
        this.registration = new Registration(config.clientId(), runner);
        this.directory = new UserDirectory(session, config);
        this.profiles = new HasuraProfiles(session, config.clientId(), directory);
        this.emails = new AccountEmailService(config.clientId(), runner);
        this.passwordless = new KeycloakPasswordless(config.clientId(), new GrantChecks(trust), runner::own, TokenEndpointCalls::tokens);
    }

    @Override
    public Tokens login(String username, String password, String clientId, String scope, String otp, String newPassword) {
        return grants.login(username, password, clientId, scope, otp, newPassword);
    }

    @Override
    public Tokens refresh(String refreshToken, TransactionMode mode) {
        return grants.refresh(refreshToken, mode);
    }

    @Override
    public long revoke(String token, TransactionMode mode) {
        return grants.revoke(token, mode);
    }

    @Override
    public Object verify(String token, TransactionMode mode) {
        return bearers.verify(token, mode);
    }

    @Override
    public SignUp signUp(String username, String password, String email, String firstName, String lastName) {
        SignUp signUp = registration.signUp(username, password, email, firstName, lastName);
        if (signUp.tokens() == null) {
            // No token to read the role from: the one the Hasura mapper will compute once the email is verified.
            UserModel created = directory.cachedUser(signUp.user().id());
            return created == null ? signUp : new SignUp(UserViews.of(created, profiles.role(null, created.getId())), null);
        }
        return signUp;
    }

    @Override
    public Caller caller(List<String> authorization) {
        return bearers.caller(authorization);
    }

    @Override
    public UserView whoami(Caller caller) {
        return UserViews.of(BearerCaller.of(caller).user(), null);
    }

    @Override
    public Map<String, Object> sessionVariables(Caller caller) {
        return profiles.sessionVariables(BearerCaller.of(caller));
    }

    @Override
    public Account account(Caller caller, TransactionMode mode) {
        return new SelfService(BearerCaller.of(caller), mode, transactions);
    }

    @Override
    public void requireUserViewer(Caller caller) {
        directory.requireUserViewer(BearerCaller.of(caller));
    }

    @Override
    public List<UserView> users(String search, int offset, int size) {
        return directory.users(search, offset, size);
    }

    @Override
    public int countUsers(String search) {
        return directory.countUsers(search);
    }

    @Override
    public Optional<UserView> user(String id) {
        return directory.user(id);
    }

    @Override
    public List<String> roles(String userId) {
        return directory.roles(userId);
    }

    @Override
    public String hasuraRole(Caller caller, String userId) {
        return profiles.role(caller == null ? null : BearerCaller.of(caller), userId);
    }

    @Override
    public boolean sendPasswordResetEmail(String email) {
        return emails.sendPasswordResetEmail(email);
    }

    @Override
    public boolean passwordReset(String token, String newPassword) {
        return emails.passwordReset(token, newPassword);
    }

    @Override
    public boolean resendActivationEmail(String email) {
        return emails.resendActivationEmail(email);
    }

    @Override
    public boolean verifyAccount(String token) {
        return emails.verifyAccount(token);
    }

    @Override
    public Passwordless passwordless() {
        return passwordless;
    }
}
