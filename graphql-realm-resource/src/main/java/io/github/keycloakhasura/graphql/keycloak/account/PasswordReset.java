package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.compat.BruteForce;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.authentication.actiontoken.resetcred.ResetCredentialsActionToken;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * sendPasswordResetEmail and passwordReset: Keycloak's "forgot password" (reset-credentials flow) without its pages.
 * The email carries Keycloak's own {@link ResetCredentialsActionToken} in a link to the app; the app sends it back
 * with the new password. Same rules as Keycloak's flow: the realm's "Forgot password" switch, the password policy,
 * one use per token, a temporary brute-force lockout cleared, the same events. Beyond it: a link works only while the
 * password is the one it was sent for, and a reset ends every session of the user (offline ones too).
 */
public final class PasswordReset {

    static final AccountMailer.Mail MAIL = new AccountMailer.Mail("graphql-password-reset.ftl",
            "graphqlPasswordResetSubject", EventType.SEND_RESET_PASSWORD);
    static final String PAGE = "reset-password";
    /** The reset token's claim naming the password it may replace ({@link #passwordVersion}). */
    static final String PASSWORD_VERSION = "pwd_ver";

    private final AccountEmails account;

    public PasswordReset(KeycloakSession session, String clientId) {
        this.account = new AccountEmails(session, clientId);
    }

    /**
     * Emails a reset link to the user with this address, if there is one (enabled, not emailed within the interval).
     * The answer is the same either way, and so is the work on the request thread: the user is looked up, the email
     * reserved, the token signed and sent in a job after the transaction, off the request thread.
     */
    public boolean send(String email) {
        String address = AccountEmails.requireEmail(email);
        RealmModel realm = account.realm();
        if (!realm.isResetPasswordAllowed()) {
            account.event().event(EventType.RESET_PASSWORD).detail(Details.USERNAME, address).error(Errors.NOT_ALLOWED);
            throw GraphqlException.forbidden("Password reset is not allowed in this realm");
        }
        AccountEmailJobs.Origin origin = AccountEmailJobs.origin(account.session(), account.clientId(), account.requireMailable());
        AccountEmailJobs.afterCommit(account.session(), origin, PAGE, w -> new PasswordReset(w, origin.clientId()).mail(address, origin));
        return true;
    }

    /** In the job: the reset email to the user with this address, if one may get it now. */
    private void mail(String address, AccountEmailJobs.Origin origin) {
        RealmModel realm = account.realm();
        EventBuilder event = account.event().event(EventType.RESET_PASSWORD).detail(Details.USERNAME, address);
        UserModel user = account.userByEmail(address);
        if (user == null) {
            event.error(Errors.USER_NOT_FOUND);
            return;
        }
        if (!user.isEnabled()) {
            event.user(user).error(Errors.USER_DISABLED);
            return;
        }
        if (!realm.isResetPasswordAllowed() || !AccountMailer.reserve(account.session(), PAGE, user.getId(), account.emailInterval())) {
            return;
        }
        int lifespan = ActionTokens.lifespan(realm, ResetCredentialsActionToken.TOKEN_TYPE);
        ResetCredentialsActionToken token = new ResetCredentialsActionToken(user.getId(), user.getEmail(),
                ActionTokens.expiry(realm, ResetCredentialsActionToken.TOKEN_TYPE), null, account.clientId());
        token.setOtherClaims(PASSWORD_VERSION, passwordVersion(user));
        String link = AccountEmails.link(origin.appUrl(), PAGE, ActionTokens.serialize(account.session(), token, origin.issuer()));
        AccountEmailJobs.send(account.session(), origin, user, MAIL, link, lifespan);
    }

    /**
     * Sets the new password of the token's user (password policy applies), uses the token up, clears a temporary
     * brute-force lockout and the update-password required action, and marks the email verified (the user has
     * shown they read it; only the address the link was sent to, bound into the token), as Keycloak's reset flow does.
     */
    public boolean reset(String tokenString, String newPassword) {
        RealmModel realm = account.realm();
        KeycloakSession s = account.session();
        EventBuilder event = account.event().event(EventType.RESET_PASSWORD);
        if (!realm.isResetPasswordAllowed()) {
            event.error(Errors.NOT_ALLOWED);
            throw GraphqlException.forbidden("Password reset is not allowed in this realm");
        }
        if (newPassword == null || newPassword.isEmpty()) {
            throw fieldError("newPassword", account.message("missingPasswordMessage"));
        }
        ResetCredentialsActionToken token = ActionTokens.verify(s, tokenString, ResetCredentialsActionToken.class,
                ResetCredentialsActionToken.TOKEN_TYPE, account.clientId(), event);
        UserModel user = ActionTokens.user(s, token, event);
        if (!passwordVersion(user).equals(token.getOtherClaims().get(PASSWORD_VERSION))) {
            // The password changed since the email was sent (passwordChange, another reset, an admin): a stale link.
            event.detail(Details.REASON, "password changed since the link was sent").error(Errors.INVALID_TOKEN);
            throw ActionTokens.invalid();
        }

        EventBuilder updated = account.event().event(EventType.UPDATE_CREDENTIAL).user(user)
                .detail(Details.USERNAME, user.getUsername())
                .detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.PASSWORD);
        PolicyError policy = s.getProvider(PasswordPolicyManagerProvider.class).validate(realm, user, newPassword);
        if (policy != null) {
            rejected(updated, policy.getMessage());
            throw fieldError("newPassword", account.message(policy.getMessage(), policy.getParameters()));
        }
        try {
            user.credentialManager().updateCredential(UserCredentialModel.password(newPassword, false));
        } catch (ModelException e) {
            rejected(updated, e.getMessage());
            throw fieldError("newPassword", account.message(e.getMessage(), e.getParameters()));
        }
        ActionTokens.consume(s, token, event);
        user.removeRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
        if (token.getEmail() != null && token.getEmail().equalsIgnoreCase(user.getEmail())) {
            // Only the address this reset link was mailed to is shown to be the user's (ActionTokens.user refuses a
            // token whose address is no longer the user's; this keeps the two bound where it matters).
            user.setEmailVerified(true);
            user.removeRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
        }
        // As Keycloak's reset flow ("password" category): clears the failures of a temporary lockout.
        BruteForce.succeeded(s, realm, user, PasswordCredentialModel.TYPE);
        updated.clone().event(EventType.UPDATE_PASSWORD).success();
        updated.success();
        // Whoever knew the old password (or holds a token of it) is out: every session ends, offline ones too.
        UserSessions.endAll(s, realm, user, account.event().user(user));
        return true;
    }

    /**
     * Which password the user has now: a digest of the stored password credential's id and creation time (Keycloak
     * renews the time, to the millisecond, on every change), "none" without one. A reset link carries the version it
     * was sent for and works only while the password is still that one.
     */
    static String passwordVersion(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .findFirst()
                .map(c -> digest(c.getId() + "/" + c.getCreatedDate()))
                .orElse("none");
    }

    private static String digest(String value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void rejected(EventBuilder updated, String reason) {
        updated.clone().event(EventType.UPDATE_CREDENTIAL_ERROR).detail(Details.REASON, reason).error(Errors.PASSWORD_REJECTED);
        updated.clone().event(EventType.UPDATE_PASSWORD_ERROR).detail(Details.REASON, reason).error(Errors.PASSWORD_REJECTED);
    }

    static GraphqlException fieldError(String field, String message) {
        return new GraphqlException(ErrorCode.BAD_USER_INPUT, message,
                Map.of("fields", List.of(Map.of("field", field, "message", message))));
    }
}
