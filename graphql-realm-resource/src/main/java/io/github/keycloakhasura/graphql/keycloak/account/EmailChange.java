package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.authentication.actiontoken.updateemail.UpdateEmailActionToken;
import org.keycloak.authentication.requiredactions.UpdateEmail;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.storage.ReadOnlyException;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.ValidationException;

import java.util.Map;

/**
 * An email change as Keycloak's update-email action makes it with verification: updateAccount(email:) needs a proof
 * beyond the access token ({@link Reauthentication}), validates the address in the {@code UPDATE_EMAIL} profile
 * context, keeps it pending ({@link UserModel#EMAIL_PENDING}) and emails Keycloak's own {@link UpdateEmailActionToken}
 * in a link to the app ({@code {app-url}/update-email?token=…}) to the NEW address, and a notice to the old one.
 * confirmEmailChange takes the token back and changes the email, verified, as Keycloak's
 * {@code UpdateEmailActionTokenHandler} does: only while the old address is still the user's and the pending one is
 * still the token's. Events: {@code SEND_VERIFY_EMAIL} (the link), {@code UPDATE_EMAIL} (the change).
 */
public final class EmailChange {

    static final AccountMailer.Mail CONFIRM = new AccountMailer.Mail("graphql-email-update-confirmation.ftl",
            "graphqlEmailUpdateConfirmationSubject", EventType.SEND_VERIFY_EMAIL);
    static final AccountMailer.Mail NOTICE = new AccountMailer.Mail("graphql-email-update-notice.ftl",
            "graphqlEmailUpdateNoticeSubject", null);
    static final String PAGE = "update-email";

    private final AccountEmails account;

    public EmailChange(KeycloakSession session, String clientId) {
        this.account = new AccountEmails(session, clientId);
    }

    /**
     * Starts the change of the caller's email to {@code newEmail}: nothing changes but the pending address until the
     * link sent there is confirmed. The proof ({@link Reauthentication}) must have been checked by the caller.
     */
    static void request(Self self, String newEmail, String appClientId) {
        AccountEmails account = new AccountEmails(self.session(), appClientId);
        String appUrl = account.requireMailable();
        UserModel user = self.user();
        String address = newEmail.trim();
        EventBuilder event = self.event(EventType.SEND_VERIFY_EMAIL).detail(Details.EMAIL, address);
        try {
            UpdateEmail.validateEmailUpdate(self.session(), user, address);
        } catch (ValidationException e) {
            event.clone().event(EventType.UPDATE_EMAIL_ERROR).error(Errors.INVALID_EMAIL);
            throw ProfileErrors.of(self.session(), e);
        }
        if (!AccountMailer.reserve(self.session(), PAGE, user.getId(), account.emailInterval())) {
            throw GraphqlException.badInput("An email change was asked for less than " + account.emailInterval()
                    + " seconds ago: wait before asking again");
        }
        try {
            user.setSingleAttribute(UserModel.EMAIL_PENDING, address);
        } catch (ReadOnlyException e) {
            throw GraphqlException.forbidden("This account is read-only");
        }
        RealmModel realm = self.realm();
        int lifespan = ActionTokens.lifespan(realm, UpdateEmailActionToken.TOKEN_TYPE);
        String clientId = account.clientId();
        UpdateEmailActionToken token = new UpdateEmailActionToken(user.getId(),
                ActionTokens.expiry(realm, UpdateEmailActionToken.TOKEN_TYPE), user.getEmail(), address, clientId);
        String link = AccountEmails.link(appUrl, PAGE, ActionTokens.serialize(self.session(), token));
        Map<String, Object> addresses = Map.of("newEmail", address,
                "oldEmail", user.getEmail() == null ? "" : user.getEmail());
        AccountMailer.sendAfterCommit(self.session(), user, AccountMailer.Recipient.pending(address), CONFIRM, link,
                lifespan, clientId, addresses);
        if (user.getEmail() != null) {
            AccountMailer.sendAfterCommit(self.session(), user, AccountMailer.Recipient.current(user.getEmail()), NOTICE,
                    null, lifespan, clientId, addresses);
        }
    }

    /** Changes the email of the token's user to the confirmed address; INVALID_TOKEN otherwise. */
    public boolean confirm(String tokenString) {
        KeycloakSession s = account.session();
        EventBuilder event = account.event().event(EventType.UPDATE_EMAIL);
        UpdateEmailActionToken token = ActionTokens.verify(s, tokenString, UpdateEmailActionToken.class,
                UpdateEmailActionToken.TOKEN_TYPE, account.clientId(), event);
        UserModel user = ActionTokens.user(s, token, event);
        String pending = user.getFirstAttribute(UserModel.EMAIL_PENDING);
        if (token.getNewEmail() == null || !token.getNewEmail().equals(pending) || !sameAddress(token.getOldEmail(), user.getEmail())) {
            // Another change was asked for since, or the email changed otherwise: this link is stale.
            event.error(Errors.INVALID_EMAIL);
            throw ActionTokens.invalid();
        }
        UserProfile profile;
        try {
            profile = UpdateEmail.validateEmailUpdate(s, user, token.getNewEmail());
        } catch (ValidationException e) {
            event.clone().event(EventType.UPDATE_EMAIL_ERROR).error(Errors.INVALID_EMAIL);
            throw ProfileErrors.of(s, e);
        }
        ActionTokens.consume(s, token, event);
        UpdateEmail.updateEmailNow(event, user, profile);
        user.setEmailVerified(true);
        user.removeRequiredAction(UserModel.RequiredAction.UPDATE_EMAIL);
        user.removeRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
        event.success();
        return true;
    }

    private static boolean sameAddress(String a, String b) {
        return a == null ? b == null : a.equalsIgnoreCase(b == null ? "" : b);
    }
}
