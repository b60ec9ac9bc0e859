package io.github.keycloakhasura.graphql.email;

import io.github.keycloakhasura.graphql.keycloak.AccountEmailService;

/** {@link EmailPort} on Keycloak: each operation in a transaction of its own ({@link AccountEmailService}). */
public record KeycloakEmail(AccountEmailService emails) implements EmailPort {

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
}
