package io.github.keycloakhasura.graphql.keycloak.account;

import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
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
import org.keycloak.models.utils.UserModelDelegate;
import org.keycloak.theme.Theme;
import org.keycloak.theme.beans.LinkExpirationFormatterMethod;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends the account emails through Keycloak's email machinery: {@link EmailTemplateProvider} (the realm's email
 * theme, its messages and locale, FreeMarker templates shipped in this jar under {@code theme-resources/}) and the
 * realm's SMTP settings.
 * <p>
 * An email leaves after the request's transaction commits, on a Keycloak-managed executor in a transaction of its
 * own: the caller's answer and its timing do not depend on whether an email goes out (no account enumeration), and
 * a rolled-back request sends nothing. The per-user rate limit is an entry in Keycloak's single-use object store
 * (cluster-wide, expiring by itself), not state of this class.
 * <p>
 * The anonymous mutations that take an address do more of their work off the request thread: {@link AccountEmailJobs}.
 * The passwordless capability's sign-in email goes the same way (its template, rate limit and event are its own).
 */
public final class AccountMailer {

    private static final Logger LOG = Logger.getLogger(AccountMailer.class);
    static final String EXECUTOR = "graphql-account-email";
    private static final String RATE_KEY = "graphql-account-email.";

    /**
     * One email: its template ({@code html/} and {@code text/} in the email theme), subject key, event (or null) and
     * the event's {@link Details#ACTION} (or null).
     */
    public record Mail(String template, String subjectKey, EventType eventType, String action) {
        public Mail(String template, String subjectKey, EventType eventType) {
            this(template, subjectKey, eventType, null);
        }
    }

    private AccountMailer() {
    }

    /**
     * Whether an email of {@code kind} to {@code subject} may go out now; if so, no other may for {@code seconds}
     * (atomic, cluster-wide: Keycloak's single-use object store).
     */
    public static boolean reserve(KeycloakSession s, String kind, String subject, int seconds) {
        RealmModel realm = s.getContext().getRealm();
        return s.singleUseObjects().putIfAbsent(RATE_KEY + kind + "." + realm.getId() + "." + subject, seconds);
    }


    /** Queues {@code mail} to {@code user} with {@code link}, to be sent once this session's transaction commits. */
    static void sendAfterCommit(KeycloakSession s, UserModel user, Mail mail, String link, int lifespanSeconds, String clientId) {
        sendAfterCommit(s, user, Recipient.current(user.getEmail()), mail, link, lifespanSeconds, clientId, Map.of());
    }

    /**
     * Queues {@code mail} about {@code user} to {@code to}, with {@code link} (may be null) and the template's
     * further {@code extra} attributes, to be sent once this session's transaction commits.
     */
    public static void sendAfterCommit(KeycloakSession s, UserModel user, Recipient to, Mail mail, String link, int lifespanSeconds,
                                       String clientId, Map<String, Object> extra) {
        KeycloakSessionFactory factory = s.getKeycloakSessionFactory();
        String realmId = s.getContext().getRealm().getId();
        String userId = user.getId();
        Locale locale = s.getContext().resolveLocale(user);
        ClientConnection connection = snapshot(s.getContext().getConnection());
        ExecutorService executor = s.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        Map<String, Object> attributes = Map.copyOf(extra);
        s.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                executor.execute(() -> {
                    try {
                        KeycloakModelUtils.runJobInTransaction(factory, w -> send(w, realmId, userId, to, locale,
                                connection, mail, link, lifespanSeconds, clientId, attributes));
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "account email %s to user %s not sent", mail.template(), userId);
                    }
                });
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    /**
     * Where an email goes: {@code address}, as long as it is still the user's email ({@code pending} false) or still
     * the address waiting for confirmation ({@link UserModel#EMAIL_PENDING}, {@code pending} true) when it leaves.
     */
    public record Recipient(String address, boolean pending) {
        public static Recipient current(String address) {
            return new Recipient(address, false);
        }

        static Recipient pending(String address) {
            return new Recipient(address, true);
        }

        boolean stillFor(UserModel user) {
            String expected = pending ? user.getFirstAttribute(UserModel.EMAIL_PENDING) : user.getEmail();
            return address != null && address.equals(expected);
        }
    }

    static void send(KeycloakSession w, String realmId, String userId, Recipient to, Locale locale,
                             ClientConnection connection, Mail mail, String link, int lifespanSeconds, String clientId,
                             Map<String, Object> extra) {
        RealmModel realm = w.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        w.getContext().setRealm(realm);
        UserModel user = w.users().getUserById(realm, userId);
        if (user == null || !to.stillFor(user)) {
            return;
        }
        if (locale != null) {
            // The locale the request resolved (user attribute, Accept-Language, realm default), as a login page sets it.
            w.setAttribute(LocaleSelectorProvider.USER_REQUEST_LOCALE, locale.toLanguageTag());
        }
        EventBuilder event = new EventBuilder(realm, w, connection).event(
                mail.eventType() == null ? EventType.SEND_VERIFY_EMAIL : mail.eventType()).client(clientId)
                .user(user).detail(Details.USERNAME, user.getUsername()).detail(Details.EMAIL, to.address());
        if (mail.action() != null) {
            event.detail(Details.ACTION, mail.action());
        }
        long minutes = TimeUnit.SECONDS.toMinutes(lifespanSeconds);
        Map<String, Object> attributes = new HashMap<>(extra);
        attributes.put("link", link == null ? "" : link);
        attributes.put("linkExpiration", minutes);
        try {
            Locale resolved = w.getContext().resolveLocale(user);
            Theme theme = w.theme().getTheme(Theme.Type.EMAIL);
            attributes.put("linkExpirationFormatter", new LinkExpirationFormatterMethod(theme.getMessages(resolved), resolved));
            // The template provider mails the user's address; for another address (an email change) the user it
            // is given answers that address, on 26.4 as on 26.7.
            UserModel addressee = to.address().equals(user.getEmail()) ? user : new Addressee(user, to.address());
            w.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(addressee)
                    .send(mail.subjectKey(), List.of(), mail.template(), attributes);
            if (mail.eventType() != null) {
                event.success();
            }
        } catch (EmailException | java.io.IOException e) {
            LOG.warnf(e, "account email %s to user %s could not be sent", mail.template(), user.getUsername());
            if (mail.eventType() != null) {
                event.detail(Details.REASON, e.getMessage()).error(Errors.EMAIL_SEND_FAILED);
            }
        }
    }

    /** The user, with {@code address} as its email: the recipient of a mail about an email change. */
    private static final class Addressee extends UserModelDelegate {
        private final String address;

        Addressee(UserModel user, String address) {
            super(user);
            this.address = address;
        }

        @Override
        public String getEmail() {
            return address;
        }
    }

    /** The caller's addresses, copied: the request is over when the email is sent. */
    static ClientConnection snapshot(ClientConnection c) {
        if (c == null) {
            return new Connection(null, null, 0, null, 0);
        }
        return new Connection(c.getRemoteAddr(), c.getRemoteHost(), c.getRemotePort(), c.getLocalAddr(), c.getLocalPort());
    }

    private record Connection(String remoteAddr, String remoteHost, int remotePort, String localAddr, int localPort)
            implements ClientConnection {
        @Override
        public String getRemoteAddr() {
            return remoteAddr;
        }

        @Override
        public String getRemoteHost() {
            return remoteHost;
        }

        @Override
        public int getRemotePort() {
            return remotePort;
        }

        @Override
        public String getLocalAddr() {
            return localAddr;
        }

        @Override
        public int getLocalPort() {
            return localPort;
        }
    }
}
