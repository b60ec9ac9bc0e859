package io.github.keycloakhasura.graphql.passwordless;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.keycloak.account.AccountEmailConfig;
import io.github.keycloakhasura.graphql.keycloak.account.AccountMailer;
import io.github.keycloakhasura.graphql.keycloak.account.ActionTokens;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/**
 * sendLoginLink: for an enabled user with this address, a {@link LoginLinkToken} in a link to the app
 * ({@code {app-url}/login?token=…}) and a code ({@link LoginCodes}), both living the realm's action-token lifespan,
 * emailed after the transaction as the other account emails ({@link AccountMailer}, template {@value #TEMPLATE}, html
 * and text, English and German in this jar's theme resources). The answer is the same for any address, and so is the work
 * that takes time: a token is signed either way. One email per user per {@code email-interval}.
 */
final class LoginLinks {

    static final String PAGE = "login";
    static final String TEMPLATE = "graphql-login-link.ftl";
    static final AccountMailer.Mail MAIL = new AccountMailer.Mail(TEMPLATE, "graphqlLoginLinkSubject", EventType.EXECUTE_ACTIONS,
            LoginLinkToken.TOKEN_TYPE);

    private LoginLinks() {
    }

    static boolean send(KeycloakSession s, String clientId, String email) {
        if (email == null || email.isBlank()) {
            throw GraphqlException.badInput("email must not be empty");
        }
        String address = email.trim();
        RealmModel realm = s.getContext().getRealm();
        PasswordlessSettings settings = PasswordlessSettings.of(realm);
        EventBuilder event = new EventBuilder(realm, s, s.getContext().getConnection()).event(EventType.EXECUTE_ACTIONS)
                .client(clientId).detail(Details.USERNAME, address).detail(Details.ACTION, LoginLinkToken.TOKEN_TYPE);
        if (!settings.any()) {
            event.error(Errors.NOT_ALLOWED);
            throw GraphqlException.forbidden("Passwordless sign-in is off in this realm (realm attributes "
                    + PasswordlessSettings.LINK + ", " + PasswordlessSettings.CODE + ")");
        }
        String appUrl = requireMailable(s, clientId);
        int lifespan = ActionTokens.lifespan(realm, LoginLinkToken.TOKEN_TYPE);
        UserModel user = userByEmail(s, address);
        String userId = user == null ? UUID.randomUUID().toString() : user.getId();
        LoginLinkToken token = new LoginLinkToken(userId, user == null ? address : user.getEmail(),
                ActionTokens.expiry(realm, LoginLinkToken.TOKEN_TYPE), clientId);
        String signed = ActionTokens.serialize(s, token); // also for no user: the same work, the same time
        if (user == null) {
            event.error(Errors.USER_NOT_FOUND);
            return true;
        }
        if (!user.isEnabled()) {
            event.user(user).error(Errors.USER_DISABLED);
            return true;
        }
        if (!AccountMailer.reserve(s, PAGE, user.getId(), AccountEmailConfig.of(s).emailIntervalSeconds())) {
            return true;
        }
        String link = settings.link() ? appUrl + "/" + PAGE + "?token=" + URLEncoder.encode(signed, StandardCharsets.UTF_8) : null;
        String code = settings.code() ? LoginCodes.issue(s, user, settings.link() ? token.serializeKey() : "", lifespan) : null;
        AccountMailer.sendAfterCommit(s, user, AccountMailer.Recipient.current(user.getEmail()), MAIL, link, lifespan, clientId,
                Map.of("code", code == null ? "" : code));
        return true;
    }

    /** The app URL for the link; FORBIDDEN (before any user is looked up) without it or without the realm's SMTP. */
    private static String requireMailable(KeycloakSession s, String clientId) {
        RealmModel realm = s.getContext().getRealm();
        String appUrl = AccountEmailConfig.of(s).appUrl(realm.getClientByClientId(clientId));
        if (appUrl == null) {
            throw GraphqlException.forbidden("Account emails are not set up: set the server option " + AccountEmailConfig.APP_URL);
        }
        Map<String, String> smtp = realm.getSmtpConfig();
        if (smtp == null || smtp.get("host") == null || smtp.get("host").isBlank()) {
            throw GraphqlException.forbidden("Account emails are not set up: the realm has no SMTP server (Realm settings > Email)");
        }
        return appUrl;
    }

    private static UserModel userByEmail(KeycloakSession s, String email) {
        try {
            return s.users().getUserByEmail(s.getContext().getRealm(), email);
        } catch (ModelDuplicateException e) {
            return null;
        }
    }
}
