package io.github.keycloakhasura.graphql;

import io.github.keycloakhasura.graphql.account.Self;

import java.util.List;
import java.util.function.Function;
import java.util.Optional;

/**
 * What the data fetchers ask of Keycloak, one instance per HTTP request. {@link KeycloakAuth} is the real one; the
 * JMH benchmark of the GraphQL layer plugs in canned answers, so the engine can be measured without a server.
 */
interface Backend {

    /**
     * Said by the fetchers before each mutation: whether it is the operation's only root field, so it may run in the
     * HTTP request's own Keycloak transaction (as the native endpoint does) instead of one of its own.
     */
    default void soleMutation(boolean sole) {
    }

    KeycloakAuth.Tokens login(String username, String password, String clientId, String scope);

    /** tokenAuth with a one-time code and/or a new password completing a pending UPDATE_PASSWORD. */
    default KeycloakAuth.Tokens login(String username, String password, String clientId, String scope, String otp,
                                      String newPassword) {
        if (otp == null && newPassword == null) {
            return login(username, password, clientId, scope);
        }
        throw new UnsupportedOperationException("otp / newPassword");
    }

    KeycloakAuth.Tokens refresh(String refreshToken);

    /** The payload of an access token Keycloak accepts as a bearer token right now; otherwise UNAUTHENTICATED. */
    Object verify(String token);

    long revoke(String token);

    KeycloakAuth.SignUp signUp(String username, String password, String email, String firstName, String lastName);

    /** The caller named by the request's Authorization header(s), verified; otherwise UNAUTHENTICATED. */
    KeycloakAuth.Caller caller(List<String> authorization);

    KeycloakAuth.UserView whoami(KeycloakAuth.Caller caller);

    /** Runs a self-service operation (account package) for the caller, in a Keycloak transaction. */
    default <T> T self(KeycloakAuth.Caller caller, String operation, Function<Self, T> work) {
        throw new UnsupportedOperationException(operation);
    }

    /** Returns normally only for callers allowed to see users (FORBIDDEN otherwise). */
    void requireUserViewer(KeycloakAuth.Caller caller);

    /** One page of users sorted by username; {@code size + 1} rows at most, to tell whether more follow. */
    List<KeycloakAuth.UserView> users(String search, int offset, int size);

    int countUsers(String search);

    Optional<KeycloakAuth.UserView> user(String id);

    /** Effective realm roles of a user, sorted. */
    List<String> roles(String userId);

    /** The default Hasura role of a user, as the configured client's Hasura mapper computes it (null without one). */
    String hasuraRole(String userId);

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
}
