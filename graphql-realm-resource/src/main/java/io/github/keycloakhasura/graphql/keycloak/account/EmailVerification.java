package io.github.keycloakhasura.graphql.keycloak.account;

import org.keycloak.authentication.actiontoken.verifyemail.VerifyEmailActionToken;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Email verification without Keycloak's pages: createUser (when the realm verifies email) and
 * resendActivationEmail email Keycloak's own {@link VerifyEmailActionToken} in a link to the app; verifyAccount
 * takes it back, sets the email verified and removes the VERIFY_EMAIL required action, as Keycloak's
 * {@code VerifyEmailActionTokenHandler} does. Events: {@code SEND_VERIFY_EMAIL}, {@code VERIFY_EMAIL}.
 */
public final class EmailVerification {

    static final AccountMailer.Mail MAIL = new AccountMailer.Mail("graphql-email-verification.ftl",
            "graphqlEmailVerificationSubject", EventType.SEND_VERIFY_EMAIL);
    static final String PAGE = "verify-email";

    private final AccountEmails account;

    public EmailVerification(KeycloakSession session, String clientId) {
        this.account = new AccountEmails(session, clientId);
    }

    /** Whether a new user must verify their email first (the realm's "Verify email" switch). */
    public static boolean required(RealmModel realm, UserModel user) {
        return realm.isVerifyEmail() && !user.isEmailVerified();
    }

    /**
     * For a user createUser has just registered in a realm that verifies email: adds the VERIFY_EMAIL required
     * action and emails the link (in a job after the transaction commits).
     */
    public void afterSignUp(UserModel user) {
        AccountEmailJobs.Origin origin = AccountEmailJobs.origin(account.session(), account.clientId(), account.requireMailable());
        user.addRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
        String userId = user.getId();
        AccountEmailJobs.afterCommit(account.session(), origin, PAGE, w -> {
            EmailVerification job = new EmailVerification(w, origin.clientId());
            UserModel created = w.users().getUserById(w.getContext().getRealm(), userId);
            if (created != null && AccountMailer.reserve(w, PAGE, userId, job.account.emailInterval())) {
                job.mail(created, origin);
            }
        });
    }

    /**
     * Emails a new verification link to the user with this address if one is waiting for it (enabled, email not
     * verified, not emailed within the interval). The answer is the same either way, and so is the work on the
     * request thread: everything that reads the user happens in a job after the transaction.
     */
    public boolean resend(String email) {
        String address = AccountEmails.requireEmail(email);
        AccountEmailJobs.Origin origin = AccountEmailJobs.origin(account.session(), account.clientId(), account.requireMailable());
        AccountEmailJobs.afterCommit(account.session(), origin, PAGE, w -> new EmailVerification(w, origin.clientId()).resendTo(address, origin));
        return true;
    }

    /** In the job: a new verification email to the user with this address, if one waits for it. */
    private void resendTo(String address, AccountEmailJobs.Origin origin) {
        EventBuilder event = account.event().event(EventType.SEND_VERIFY_EMAIL).detail(Details.EMAIL, address);
        UserModel user = account.userByEmail(address);
        if (user == null) {
            event.error(Errors.USER_NOT_FOUND);
            return;
        }
        event.user(user);
        if (!user.isEnabled()) {
            event.error(Errors.USER_DISABLED);
            return;
        }
        if (!waiting(user)) {
            event.error(Errors.EMAIL_ALREADY_VERIFIED);
            return;
        }
        if (AccountMailer.reserve(account.session(), PAGE, user.getId(), account.emailInterval())) {
            mail(user, origin);
        }
    }

    /** Verifies the email of the token's user; INVALID_TOKEN for an invalid, expired or used token. */
    public boolean verify(String tokenString) {
        KeycloakSession s = account.session();
        EventBuilder event = account.event().event(EventType.VERIFY_EMAIL);
        VerifyEmailActionToken token = ActionTokens.verify(s, tokenString, VerifyEmailActionToken.class,
                VerifyEmailActionToken.TOKEN_TYPE, account.clientId(), event);
        UserModel user = ActionTokens.user(s, token, event);
        if (token.getEmail() == null) {
            event.error(Errors.INVALID_EMAIL);
            throw ActionTokens.invalid();
        }
        ActionTokens.consume(s, token, event);
        event.detail(Details.EMAIL, user.getEmail());
        if (!waiting(user)) {
            event.error(Errors.EMAIL_ALREADY_VERIFIED);
            return true;
        }
        user.setEmailVerified(true);
        user.removeRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
        event.success();
        return true;
    }

    private boolean waiting(UserModel user) {
        return !user.isEmailVerified() || user.getRequiredActionsStream()
                .anyMatch(UserModel.RequiredAction.VERIFY_EMAIL.name()::equals);
    }

    private void mail(UserModel user, AccountEmailJobs.Origin origin) {
        RealmModel realm = account.realm();
        int lifespan = ActionTokens.lifespan(realm, VerifyEmailActionToken.TOKEN_TYPE);
        VerifyEmailActionToken token = new VerifyEmailActionToken(user.getId(),
                ActionTokens.expiry(realm, VerifyEmailActionToken.TOKEN_TYPE), null, user.getEmail(), account.clientId());
        String link = AccountEmails.link(origin.appUrl(), PAGE, ActionTokens.serialize(account.session(), token, origin.issuer()));
        AccountEmailJobs.send(account.session(), origin, user, MAIL, link, lifespan);
    }
}
