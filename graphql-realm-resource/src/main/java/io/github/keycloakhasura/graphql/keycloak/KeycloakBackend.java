package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.variables.SessionVariables;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.api.UserView;
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
    }

    /** createUser: Keycloak's registration, then its password grant (the sign-up capability's adapter calls it). */
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
        return UserViews.of(BearerCaller.reading(caller).user(), null);
    }

    @Override
    public SessionVariables sessionVariables(Caller caller) {
        return profiles.sessionVariables(BearerCaller.reading(caller));
    }

    /** The Keycloak side of a caller this backend verified ({@link #caller}); the one place it is looked at so. */
    public KeycloakSide.VerifiedCaller verified(Caller caller) {
        return BearerCaller.of(caller);
    }

    @Override
    public void requireUserViewer(Caller caller) {
        directory.requireUserViewer(BearerCaller.reading(caller));
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
        return profiles.role(caller == null ? null : BearerCaller.reading(caller), userId);
    }

    /** This request's grants, caller and transactions as the organization capability uses them. */
    public KeycloakSide organizationSide() {
        return organizationSide;
    }

    /** Keycloak's grants and revocation, for the token capabilities. */
    public TokenGrants grants() {
        return grants;
    }

    /** Bearer tokens: the request's caller and verifyToken. */
    public Bearers bearers() {
        return bearers;
    }

    /** The account-email mutations, for the email capability. */
    public AccountEmailService emails() {
        return emails;
    }

    /** This request's transactions (one Keycloak transaction per request, or one of its own per operation). */
    public TransactionRunner transactions() {
        return transactions;
    }

    /**
     * Returns once Keycloak's brute-force protector has let go of the user after a login of {@code clientId}, as
     * tokenAuth waits ({@link LoginRelease}): for sign-ins run in process (passwordless, passkeys).
     */
    public void awaitLoginRelease(String clientId, String username) {
        LoginRelease.await(transactions.session(), clientId, username);
    }
}
