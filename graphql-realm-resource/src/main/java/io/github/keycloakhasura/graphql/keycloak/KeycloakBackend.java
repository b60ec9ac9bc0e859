package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.organizations.KeycloakOrganizations;
import io.github.keycloakhasura.graphql.organizations.OrganizationsPort;
import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.api.Account;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.passkeys.KeycloakPasskeys;
import io.github.keycloakhasura.graphql.passkeys.Passkeys;
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
    private final OrganizationSide organizationSide;
    private final KeycloakPasswordless passwordless;
    private final KeycloakPasskeys passkeys;

    public KeycloakBackend(KeycloakSession session, GraphqlConfig config, TrustBoundary trust) {
        TransactionRunner runner = new TransactionRunner(session);
        this.transactions = runner;
        this.bearers = new Bearers(session, trust, runner);
        this.grants = new TokenGrants(config.clientId(), new GrantChecks(trust), runner);
        this.registration = new Registration(config.clientId(), runner);
        this.directory = new UserDirectory(session, config);
        this.profiles = new HasuraProfiles(session, config.clientId(), directory);
        this.emails = new AccountEmailService(config.clientId(), runner);
        this.organizationSide = new OrganizationSide(session, grants, profiles, runner, config.clientId(), config.managerRole());
        this.passwordless = new KeycloakPasswordless(config.clientId(), new GrantChecks(trust), runner::own, TokenEndpointCalls::tokens);
        this.passkeys = new KeycloakPasskeys(new PasskeySide(runner));
    }

    @Override
    public Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending) {
        return grants.login(username, password, clientId, scope, otp, pending);
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
            // Waiting for email verification: no token to read the role from. The answer describes the user as
            // Keycloak creates it, whether it was stored (a new address) or not (an address that has an account), and
            // its role is the one the Hasura mapper will compute once the email is verified.
            UserModel pending = directory.pending(signUp.user());
            return new SignUp(UserViews.of(pending, profiles.role(null, pending.getId())), null);
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
        return new SelfService(BearerCaller.of(caller), mode, transactions, emails.clientId());
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
    public OrganizationsPort organizations() {
        return new KeycloakOrganizations(organizationSide);
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
    public boolean confirmEmailChange(String token) {
        return emails.confirmEmailChange(token);
    }

    @Override
    public Passwordless passwordless() {
        return passwordless;
    }

    @Override
    public Passkeys passkeys() {
        return passkeys;
    }
}
