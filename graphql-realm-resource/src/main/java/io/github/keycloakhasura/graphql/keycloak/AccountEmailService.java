package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.keycloak.account.EmailChange;
import io.github.keycloakhasura.graphql.keycloak.account.EmailVerification;
import io.github.keycloakhasura.graphql.keycloak.account.PasswordReset;

/**
 * The anonymous account-email mutations, each in a transaction of its own: password reset ({@link PasswordReset}) and
 * email verification ({@link EmailVerification}), with the configured client's links.
 */
public record AccountEmailService(String clientId, TransactionRunner transactions) {

    public boolean sendPasswordResetEmail(String email) {
        return transactions.own("sendPasswordResetEmail", s -> new PasswordReset(s, clientId).send(email));
    }

    public boolean passwordReset(String token, String newPassword) {
        return transactions.own("passwordReset", s -> new PasswordReset(s, clientId).reset(token, newPassword));
    }

    public boolean resendActivationEmail(String email) {
        return transactions.own("resendActivationEmail", s -> new EmailVerification(s, clientId).resend(email));
    }

    public boolean verifyAccount(String token) {
        return transactions.own("verifyAccount", s -> new EmailVerification(s, clientId).verify(token));
    }

    public boolean confirmEmailChange(String token) {
        return transactions.own("confirmEmailChange", s -> new EmailChange(s, clientId).confirm(token));
    }
}
