package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.compat.BruteForce;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;

import java.util.List;
import java.util.Map;

/**
 * The caller's password: checked as one brute-force-counted guess, and replaced under the realm's password policy
 * (history included) with the events Keycloak's update-password action emits (UPDATE_CREDENTIAL, and the
 * deprecated UPDATE_PASSWORD beside it).
 */
public final class Passwords {

    static final String INVALID_PASSWORD = "Invalid password";

    private Passwords() {
    }

    /**
     * Returns normally when {@code password} is the user's current one. A locked user is refused without a check;
     * a wrong password is a failed login for brute-force detection. Both get the same UNAUTHENTICATED answer.
     */
    static void verify(KeycloakSession s, RealmModel realm, UserModel user, String password, EventBuilder errorEvent) {
        if (password == null || password.isEmpty()) {
            throw GraphqlException.badInput("The current password must not be empty");
        }
        if (BruteForce.locked(s, realm, user)) {
            errorEvent.error(Errors.USER_TEMPORARILY_DISABLED);
            throw GraphqlException.unauthenticated(INVALID_PASSWORD);
        }
        if (!user.credentialManager().isValid(UserCredentialModel.password(password))) {
            BruteForce.failed(s, realm, user, PasswordCredentialModel.TYPE);
            errorEvent.error(Errors.INVALID_USER_CREDENTIALS);
            throw GraphqlException.unauthenticated(INVALID_PASSWORD);
        }
        BruteForce.succeeded(s, realm, user, PasswordCredentialModel.TYPE);
    }

    /**
     * Sets {@code newPassword} under the realm's password policy (BAD_USER_INPUT naming the broken rule otherwise)
     * and records it as Keycloak's update-password action does.
     */
    public static void update(KeycloakSession s, RealmModel realm, UserModel user, ClientModel client,
                              UserSessionModel userSession, String newPassword, String field) {
        EventBuilder event = new EventBuilder(realm, s, s.getContext().getConnection())
                .event(EventType.UPDATE_CREDENTIAL).user(user).client(client)
                .detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.PASSWORD);
        if (userSession != null) {
            event.session(userSession);
        }
        if (newPassword == null || newPassword.isEmpty()) {
            error(event, Errors.PASSWORD_MISSING, null);
            throw fieldError(field, ThemeMessages.text(s, "missingPasswordMessage"));
        }
        PolicyError policy = s.getProvider(PasswordPolicyManagerProvider.class).validate(realm, user, newPassword);
        if (policy != null) {
            error(event, Errors.PASSWORD_REJECTED, policy.getMessage());
            throw fieldError(field, ThemeMessages.text(s, policy.getMessage(), policy.getParameters()));
        }
        try {
            user.credentialManager().updateCredential(UserCredentialModel.password(newPassword, false));
        } catch (ModelException e) {
            error(event, Errors.PASSWORD_REJECTED, e.getMessage());
            throw fieldError(field, ThemeMessages.text(s, e.getMessage(), e.getParameters()));
        }
        user.removeRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
        event.clone().event(EventType.UPDATE_PASSWORD).success();
        event.success();
    }

    private static void error(EventBuilder event, String error, String reason) {
        EventBuilder failed = event.clone().event(EventType.UPDATE_CREDENTIAL_ERROR);
        EventBuilder deprecated = event.clone().event(EventType.UPDATE_PASSWORD_ERROR);
        if (reason != null) {
            failed.detail(Details.REASON, reason);
            deprecated.detail(Details.REASON, reason);
        }
        failed.error(error);
        deprecated.error(error);
    }

    static GraphqlException fieldError(String field, String message) {
        return new GraphqlException(ErrorCode.BAD_USER_INPUT, message,
                Map.of("fields", List.of(Map.of("field", field, "message", message))));
    }
}
