package io.github.keycloakhasura.graphql.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the data fetchers ask of Keycloak, one instance per HTTP request; only plain values cross it (no Keycloak
 * types). {@code graphql.keycloak.KeycloakBackend} is the real one; the unit tests and the JMH benchmark of the
 * GraphQL layer plug in canned answers. Operations a test backend does not need have defaults that refuse.
 */
public interface Backend {

    /**
     * tokenAuth: the password grant; {@code otp} may be null, {@code pending} completes pending required actions
     * ({@link PendingActionInput#NONE} for none).
     */
    Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending);

    Tokens refresh(String refreshToken, TransactionMode mode);

    /** The payload of an access token Keycloak accepts as a bearer token right now; otherwise UNAUTHENTICATED. */
    Object verify(String token, TransactionMode mode);

    /** Revokes a refresh token; when (epoch seconds). */
    long revoke(String token, TransactionMode mode);

    SignUp signUp(String username, String password, String email, String firstName, String lastName);

    /** The caller named by the request's Authorization header(s), verified; otherwise UNAUTHENTICATED. */
    Caller caller(List<String> authorization);

    /** The caller as a user. */
    UserView whoami(Caller caller);

    /**
     * The caller's Hasura session variables, as the Hasura claims mapper computes them for the caller's token (its
     * client session): the same as the token's claims and the Hasura webhook's answer. Null when the caller's client
     * has no Hasura mapper or the caller has no role that may be issued; INVALID_MAPPER_CONFIG when the mapper's
     * options make no sense.
     */
    Map<String, Object> sessionVariables(Caller caller);

    /** The caller's own account, its operations run in {@code mode}. */
    default Account account(Caller caller, TransactionMode mode) {
        throw new UnsupportedOperationException("account");
    }

    /** Returns normally only for callers allowed to see users (FORBIDDEN otherwise). */
    void requireUserViewer(Caller caller);

    /** One page of users sorted by username; {@code size + 1} rows at most, to tell whether more follow. */
    List<UserView> users(String search, int offset, int size);

    int countUsers(String search);

    Optional<UserView> user(String id);

    /** Effective realm roles of a user, sorted. */
    List<String> roles(String userId);

    /**
     * The default Hasura role of a user, computed by the Hasura claims mapper for the client of {@code caller}'s token
     * (the configured client when {@code caller} is null): the caller's own from its token's client session (as
     * {@link #sessionVariables}), anyone else's as a token of that client with its default client scopes would carry
     * it. Null when that client has no Hasura mapper; INVALID_MAPPER_CONFIG when the mapper's options make no sense.
     */
    String hasuraRole(Caller caller, String userId);

    /** Keycloak organizations as Hasura tenancy (tokenAuth's organization, switchOrganization, organizations…). */
    default io.github.keycloakhasura.graphql.organizations.OrganizationsPort organizations() {
        throw new UnsupportedOperationException("organizations");
    }

    /** Emails a password-reset link to the user with this address, if any; the same answer either way. */
    default boolean sendPasswordResetEmail(String email) {
        throw new UnsupportedOperationException("sendPasswordResetEmail");
    }

    /** Sets a new password with the token of a password-reset email. */
    default boolean passwordReset(String token, String newPassword) {
        throw new UnsupportedOperationException("passwordReset");
    }

    /** Emails a new verification link to the user with this address, if one waits for it; the same answer either way. */
    default boolean resendActivationEmail(String email) {
        throw new UnsupportedOperationException("resendActivationEmail");
    }

    /** Verifies an email address with the token of a verification email. */
    default boolean verifyAccount(String token) {
        throw new UnsupportedOperationException("verifyAccount");
    }

    /** Changes a user's email to the address an email-change link was sent to, with that link's token. */
    default boolean confirmEmailChange(String token) {
        throw new UnsupportedOperationException("confirmEmailChange");
    }

    /** sendLoginLink, loginWithLink, loginWithCode ({@code graphql.passwordless}). */
    default io.github.keycloakhasura.graphql.passwordless.Passwordless passwordless() {
        throw new UnsupportedOperationException("passwordless");
    }

    /** passkeyRegistrationOptions, passkeyRegister, passkeyLoginOptions, passkeys, passkeyRemove ({@code graphql.passkeys}). */
    default io.github.keycloakhasura.graphql.passkeys.Passkeys passkeys() {
        throw new UnsupportedOperationException("passkeys");
    }
}
