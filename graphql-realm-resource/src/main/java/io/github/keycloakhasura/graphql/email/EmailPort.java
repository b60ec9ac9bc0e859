package io.github.keycloakhasura.graphql.email;

/**
 * The anonymous account-email mutations: links sent by email (Keycloak action tokens) and their redemption. Who may:
 * anyone; a send answers the same whether or not the address has an account (the work runs after the answer), a
 * redemption needs the link's single-use token.
 */
public interface EmailPort {

    /** Emails a password-reset link to the user with this address, if any; the same answer either way. */
    boolean sendPasswordResetEmail(String email);

    /** Sets a new password with the token of a password-reset email. */
    boolean passwordReset(String token, String newPassword);

    /** Emails a new verification link to the user with this address, if one waits for it; the same answer either way. */
    boolean resendActivationEmail(String email);

    /** Verifies an email address with the token of a verification email. */
    boolean verifyAccount(String token);

    /** Changes a user's email to the address an email-change link was sent to, with that link's token. */
    boolean confirmEmailChange(String token);
}
