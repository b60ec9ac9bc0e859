package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.keycloak.TokenEndpointCalls.Result;
import io.github.keycloakhasura.graphql.keycloak.account.LoginActions;
import io.github.keycloakhasura.graphql.keycloak.account.LoginCompletion;
import io.github.keycloakhasura.graphql.keycloak.account.ProbedForm;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.endpoints.TokenRevocationEndpoint;

import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * tokenAuth, refreshToken and revokeToken: Keycloak's password and refresh grants and its revocation endpoint, run
 * in process (never over HTTP), so brute-force detection, required actions, events, client policies and every
 * protocol mapper apply exactly as at {@code /protocol/openid-connect/token}.
 */
public record TokenGrants(String defaultClientId, GrantChecks checks, TransactionRunner transactions) {

    /**
     * The password grant. {@code otp} goes to Keycloak's direct-grant OTP step; OTP_REQUIRED and ACTION_REQUIRED are
     * answered only when Keycloak's flow got past the password (see {@link ProbedForm}, {@link LoginActions}).
     */
    Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending) {
        if (blank(username) || blank(password)) {
            throw GraphqlException.badInput("username and password must not be empty");
        }
        String client = blank(clientId) ? defaultClientId : clientId.trim();
        checks.requireAllowedClient(client);
        checks.requireOnlineScopeUnlessAllowed(scope);
        LoginOutcome outcome;
        try {
            outcome = grant(username, password, client, scope, otp, pending);
        } catch (GraphqlException e) {
            outcome = new LoginOutcome.Refused(e);
        }
        if (outcome.passwordAccepted()) {
            // Only then: a login's answer waits for nothing that would tell an unknown user from a known one.
            LoginRelease.await(transactions.session(), client, username);
        }
        return outcome.tokensOrThrow();
    }

    private LoginOutcome grant(String username, String password, String client, String scope, String otp,
                               PendingActionInput pending) {
        // A refusal returned (not thrown) commits the transaction: a completed UPDATE_PASSWORD is kept.
        return transactions.own("tokenAuth", s -> {
            GrantChecks.requirePublicClient(s, client);
            ProbedForm form = new ProbedForm(TokenEndpointCalls.passwordForm(client, username, password, scope));
            if (!blank(otp)) {
                form.putSingle(ProbedForm.TOTP, otp.trim());
            }
            Result result = TokenEndpointCalls.token(s, form);
            if (result.ok()) {
                checks.requireOnlineUnlessAllowed(result.response().getRefreshToken());
                return new LoginOutcome.Issued(TokenEndpointCalls.tokens(result.response()));
            }
            if (notFullySetUp(result)) {
                return requiredActions(s, client, username, form, otp, pending);
            }
            if (blank(otp) && form.otpAsked() && OAuthErrorException.INVALID_GRANT.equals(result.error())
                    && LoginActions.passwordAccepted(s, username, password)) {
                throw LoginActions.otpRequired();
            }
            throw TokenEndpointCalls.loginError(result, client);
        });
    }

    private static boolean notFullySetUp(Result result) {
        return OAuthErrorException.INVALID_GRANT.equals(result.error()) && LoginActions.NOT_FULLY_SET_UP.equals(result.description());
    }

    /**
     * Keycloak accepted the credentials but has actions pending: complete those the arguments cover
     * ({@link LoginCompletion}) and log in, or name what is left. A refusal is returned, not thrown, so what was
     * completed (a new password, a TOTP offer) is kept.
     */
    private LoginOutcome requiredActions(KeycloakSession s, String client, String username, ProbedForm form, String otp,
                                   PendingActionInput pending) {
        RealmModel realm = s.getContext().getRealm();
        UserModel user = LoginActions.user(s, username);
        if (user == null) {
            throw GraphqlException.unauthenticated(TokenEndpointCalls.INVALID_CREDENTIALS);
        }
        LoginCompletion.Done done = LoginCompletion.complete(s, realm, user, realm.getClientByClientId(client), pending, otp);
        List<String> remaining = LoginActions.pending(s, user);
        if (done.completed().isEmpty() || !remaining.isEmpty()) {
            done.afterLogin().run();
            return new LoginOutcome.Refused(LoginActions.actionRequired(s, user, remaining));
        }
        if (form.otpAsked() && form.getFirst(ProbedForm.TOTP) != null) {
            // Keycloak takes a one-time code once: a second grant now would fail and count as a failed login.
            done.afterLogin().run();
            return new LoginOutcome.Refused(LoginActions.otpRequired(done.passwordChanged()
                    ? "The password was changed; log in with it and the next one-time code"
                    : "The required actions are done; log in with the next one-time code"));
        }
        if (done.passwordChanged()) {
            form.putSingle(OAuth2Constants.PASSWORD, pending.newPassword());
        }
        Result again = TokenEndpointCalls.token(s, form);
        done.afterLogin().run();
        if (again.ok()) {
            checks.requireOnlineUnlessAllowed(again.response().getRefreshToken());
            return new LoginOutcome.Issued(TokenEndpointCalls.tokens(again.response()));
        }
        if (notFullySetUp(again)) {
            return new LoginOutcome.Refused(LoginActions.actionRequired(s, user, LoginActions.pending(s, user)));
        }
        return new LoginOutcome.Refused(GraphqlException.unauthenticated(done.passwordChanged()
                ? "The password was changed; log in again with the new password" : "The required actions are done; log in again"));
    }

    /** The refresh grant, at the client the token was issued to. */
    public Tokens refresh(String refreshToken, TransactionMode mode) {
        return refresh(refreshToken, null, mode);
    }

    /**
     * The refresh grant with a {@code scope} parameter (null: none), which Keycloak narrows the session's granted
     * scopes to (e.g. {@code organization:*} to {@code organization:<alias>}).
     */
    Tokens refresh(String refreshToken, String scope, TransactionMode mode) {
        return refresh(refreshToken, scope, mode, (s, tokens) -> { }, null);
    }

    /**
     * As {@link #refresh(String, String, TransactionMode)}, with {@code accept} run on the new tokens inside the
     * grant's session and transaction: when it throws, the transaction rolls back (nothing the grant wrote is kept) and the tokens
     * are never returned. When Keycloak refuses the {@code scope} parameter ({@code invalid_scope}) and
     * {@code scopeRefused} is given, its exception is the answer.
     */
    Tokens refresh(String refreshToken, String scope, TransactionMode mode, BiConsumer<KeycloakSession, Tokens> accept,
                   Supplier<GraphqlException> scopeRefused) {
        if (blank(refreshToken)) {
            throw GraphqlException.badInput("refreshToken must not be empty");
        }
        String client = checks.issuedFor(refreshToken, "Invalid or expired refresh token");
        checks.requireOnlineUnlessAllowed(refreshToken);
        return transactions.run(mode, "refreshToken", s -> {
            GrantChecks.requirePublicClient(s, client);
            MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
            form.putSingle(OAuth2Constants.GRANT_TYPE, OAuth2Constants.REFRESH_TOKEN);
            form.putSingle(OAuth2Constants.CLIENT_ID, client);
            form.putSingle(OAuth2Constants.REFRESH_TOKEN, refreshToken);
            if (!blank(scope)) {
                form.putSingle(OAuth2Constants.SCOPE, scope);
            }
            Result result = TokenEndpointCalls.token(s, form);
            if (result.ok()) {
                Tokens tokens = TokenEndpointCalls.tokens(result.response());
                accept.accept(s, tokens);
                return tokens;
            }
            if (OAuthErrorException.INVALID_GRANT.equals(result.error()) || "invalid_token".equals(result.error())) {
                throw GraphqlException.unauthenticated("Invalid or expired refresh token");
            }
            if (scopeRefused != null && OAuthErrorException.INVALID_SCOPE.equals(result.error())) {
                throw scopeRefused.get();
            }
            throw TokenEndpointCalls.grantError(result, client);
        });
    }

    /** Keycloak's revocation endpoint (RFC 7009), at the client the token was issued to. */
    public long revoke(String token, TransactionMode mode) {
        if (blank(token)) {
            throw GraphqlException.badInput("refreshToken must not be empty");
        }
        String client = checks.issuedFor(token, "Invalid or expired token");
        return transactions.run(mode, "revokeToken", s -> {
            GrantChecks.requirePublicClient(s, client);
            MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
            form.putSingle("token", token);
            form.putSingle(OAuth2Constants.CLIENT_ID, client);
            Result result = TokenEndpointCalls.withForm(s, form, () -> {
                EventBuilder event = new EventBuilder(s.getContext().getRealm(), s, s.getContext().getConnection());
                return new TokenRevocationEndpoint(s, event).revoke();
            });
            if (result.status() == 200 && result.error() == null) {
                return Instant.now().getEpochSecond();
            }
            if ("invalid_token".equals(result.error())) {
                // RFC 7009 answers 200 for tokens that are invalid, expired or already revoked; the seed's API errs.
                throw GraphqlException.unauthenticated("Invalid or expired token");
            }
            throw TokenEndpointCalls.grantError(result, client);
        });
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
