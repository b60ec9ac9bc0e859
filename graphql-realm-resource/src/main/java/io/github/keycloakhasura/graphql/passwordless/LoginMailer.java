package io.github.keycloakhasura.graphql.passwordless;

import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.locale.LocaleSelectorProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.theme.Theme;
import org.keycloak.theme.beans.LinkExpirationFormatterMethod;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sign-in email ({@code graphql-login-link.ftl}, html and text, English and German in this jar's theme
 * resources) through Keycloak's {@link EmailTemplateProvider} and the realm's SMTP server. As the other account
 * emails: it leaves after the request's transaction commits, off the request thread (the answer's timing does not
 * depend on it), in the locale the request resolved.
 */
final class LoginMailer {

    private static final Logger LOG = Logger.getLogger(LoginMailer.class);
    static final String TEMPLATE = "graphql-login-link.ftl";
    static final String SUBJECT = "graphqlLoginLinkSubject";

    private LoginMailer() {
    }

    /** {@code link} or {@code code} is null when the realm has that method off. */
    static void sendAfterCommit(KeycloakSession s, UserModel user, String link, String code, int lifespanSeconds, String clientId) {
        KeycloakSessionFactory factory = s.getKeycloakSessionFactory();
        String realmId = s.getContext().getRealm().getId();
        String userId = user.getId();
        String email = user.getEmail();
        Locale locale = s.getContext().resolveLocale(user);
        String ip = s.getContext().getConnection() == null ? null : s.getContext().getConnection().getRemoteHost();
        var executor = s.getProvider(ExecutorsProvider.class).getExecutor("graphql-account-email");
        s.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                executor.execute(() -> {
                    try {
                        KeycloakModelUtils.runJobInTransaction(factory, w -> send(w, realmId, userId, email, locale, ip,
                                link, code, lifespanSeconds, clientId));
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "sign-in email to user %s not sent", userId);
                    }
                });
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    private static void send(KeycloakSession w, String realmId, String userId, String email, Locale locale, String ip,
                             String link, String code, int lifespanSeconds, String clientId) {
        RealmModel realm = w.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        w.getContext().setRealm(realm);
        UserModel user = w.users().getUserById(realm, userId);
        if (user == null || email == null || !email.equals(user.getEmail())) {
            return;
        }
        if (locale != null) {
            w.setAttribute(LocaleSelectorProvider.USER_REQUEST_LOCALE, locale.toLanguageTag());
        }
        EventBuilder event = new EventBuilder(realm, w).event(EventType.EXECUTE_ACTIONS)
                .client(clientId).user(user).ipAddress(ip).detail(Details.USERNAME, user.getUsername())
                .detail(Details.EMAIL, email).detail(Details.ACTION, LoginLinkToken.TOKEN_TYPE);
        long minutes = TimeUnit.SECONDS.toMinutes(lifespanSeconds);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("link", link == null ? "" : link);
        attributes.put("code", code == null ? "" : code);
        attributes.put("linkExpiration", minutes);
        try {
            Locale resolved = w.getContext().resolveLocale(user);
            Theme theme = w.theme().getTheme(Theme.Type.EMAIL);
            attributes.put("linkExpirationFormatter", new LinkExpirationFormatterMethod(theme.getMessages(resolved), resolved));
            w.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(user).send(SUBJECT, List.of(), TEMPLATE, attributes);
            event.success();
        } catch (EmailException | IOException e) {
            LOG.warnf(e, "sign-in email to user %s could not be sent", user.getUsername());
            event.detail(Details.REASON, e.getMessage()).error(Errors.EMAIL_SEND_FAILED);
        }
    }
}
