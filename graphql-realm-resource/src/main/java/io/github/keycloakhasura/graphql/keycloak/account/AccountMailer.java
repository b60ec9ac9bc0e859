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
import org.keycloak.theme.Theme;
import org.keycloak.theme.beans.LinkExpirationFormatterMethod;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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
 * The anonymous mutations that take an address ({@link #afterCommit}) go further: the request thread only notes the
 * address and queues a job; looking the user up, the rate-limit reservation, signing the action token and sending
 * all happen in that job, so the request does the same work whether or not the address belongs to an account.
 */
final class AccountMailer {

    private static final Logger LOG = Logger.getLogger(AccountMailer.class);
    private static final String EXECUTOR = "graphql-account-email";
    private static final String RATE_KEY = "graphql-account-email.";
    /** How long after the request's commit an {@link #afterCommit} job starts. */
    static final long JOB_DELAY_MS = 1000;

    /** One email: its template ({@code html/} and {@code text/} in the email theme), subject key and event (or none). */
    record Mail(String template, String subjectKey, EventType eventType) {
    }

    private AccountMailer() {
    }

    /**
     * Whether an email of {@code kind} to {@code subject} may go out now; if so, no other may for {@code seconds}
     * (atomic, cluster-wide: Keycloak's single-use object store).
     */
    static boolean reserve(KeycloakSession s, String kind, String subject, int seconds) {
        RealmModel realm = s.getContext().getRealm();
        return s.singleUseObjects().putIfAbsent(RATE_KEY + kind + "." + realm.getId() + "." + subject, seconds);
    }

    /**
     * What an email job knows of the request that queued it (the request is over when the job runs): the realm,
     * the client, the action tokens' issuer, the app URL, the locale the request asked for (cookie, Accept-Language,
     * realm default; a user's own locale wins over it) and the caller's addresses, for the events.
     */
    record Origin(String realmId, String clientId, String issuer, String appUrl, Locale locale, ClientConnection connection) {
    }

    /** This request's {@link Origin}: reads no user, so it costs the same for every address. */
    static Origin origin(KeycloakSession s, String clientId, String appUrl) {
        RealmModel realm = s.getContext().getRealm();
        return new Origin(realm.getId(), clientId, ActionTokens.issuer(s), appUrl, s.getContext().resolveLocale(null),
                snapshot(s.getContext().getConnection()));
    }

    /**
     * Runs {@code job} once this session's transaction commits, on Keycloak's executor, in a session and transaction
     * of its own whose context has the origin's realm and connection. Nothing else happens on the request thread, and
     * it happens for every address alike; a rolled-back request runs no job. The job starts {@value #JOB_DELAY_MS} ms
     * later, when the answer has long gone out: on a busy server its work (heavier for an address with an account)
     * would otherwise compete with the end of the very request that queued it and show in that answer's time.
     */
    static void afterCommit(KeycloakSession s, Origin origin, String what, Consumer<KeycloakSession> job) {
        KeycloakSessionFactory factory = s.getKeycloakSessionFactory();
        ExecutorService executor = s.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        s.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                CompletableFuture.delayedExecutor(JOB_DELAY_MS, TimeUnit.MILLISECONDS, task -> {
                    try {
                        executor.execute(task);
                    } catch (RejectedExecutionException e) {
                        LOG.warnf("account email job %s dropped: the %s executor is saturated", what, EXECUTOR);
                    }
                }).execute(() -> {
                    try {
                        KeycloakModelUtils.runJobInTransaction(factory, w -> {
                            RealmModel realm = w.realms().getRealm(origin.realmId());
                            if (realm != null) {
                                w.getContext().setRealm(realm);
                                w.getContext().setConnection(origin.connection());
                                job.accept(w);
                            }
                        });
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "account email job %s failed", what);
                    }
                });
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    /**
     * Sends {@code mail} to {@code user} now, from an {@link #afterCommit} job: in the user's own locale if they
     * chose one, else in the one the request asked for.
     */
    static void send(KeycloakSession w, Origin origin, UserModel user, Mail mail, String link, int lifespanSeconds) {
        Locale locale = user.getFirstAttribute(UserModel.LOCALE) != null ? null : origin.locale();
        send(w, origin.realmId(), user.getId(), user.getEmail(), locale, origin.connection(), mail, link, lifespanSeconds,
                origin.clientId());
    }

    /** Queues {@code mail} to {@code user} with {@code link}, to be sent once this session's transaction commits. */
    static void sendAfterCommit(KeycloakSession s, UserModel user, Mail mail, String link, int lifespanSeconds, String clientId) {
        KeycloakSessionFactory factory = s.getKeycloakSessionFactory();
        String realmId = s.getContext().getRealm().getId();
        String userId = user.getId();
        String email = user.getEmail();
        Locale locale = s.getContext().resolveLocale(user);
        ClientConnection connection = snapshot(s.getContext().getConnection());
        ExecutorService executor = s.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR);
        s.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                executor.execute(() -> {
                    try {
                        KeycloakModelUtils.runJobInTransaction(factory, w -> send(w, realmId, userId, email, locale,
                                connection, mail, link, lifespanSeconds, clientId));
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

    private static void send(KeycloakSession w, String realmId, String userId, String email, Locale locale,
                             ClientConnection connection, Mail mail, String link, int lifespanSeconds, String clientId) {
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
            // The locale the request resolved (user attribute, Accept-Language, realm default), as a login page sets it.
            w.setAttribute(LocaleSelectorProvider.USER_REQUEST_LOCALE, locale.toLanguageTag());
        }
        EventBuilder event = mail.eventType() == null ? null : new EventBuilder(realm, w, connection)
                .event(mail.eventType()).client(clientId)
                .user(user).detail(Details.USERNAME, user.getUsername()).detail(Details.EMAIL, email);
        long minutes = TimeUnit.SECONDS.toMinutes(lifespanSeconds);
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("link", link);
        attributes.put("linkExpiration", minutes);
        try {
            Locale resolved = w.getContext().resolveLocale(user);
            Theme theme = w.theme().getTheme(Theme.Type.EMAIL);
            attributes.put("linkExpirationFormatter", new LinkExpirationFormatterMethod(theme.getMessages(resolved), resolved));
            w.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(user)
                    .send(mail.subjectKey(), List.of(), mail.template(), attributes);
            if (event != null) {
                event.success();
            }
        } catch (EmailException | java.io.IOException e) {
            LOG.warnf(e, "account email %s to user %s could not be sent", mail.template(), user.getUsername());
            if (event != null) {
                event.detail(Details.REASON, e.getMessage()).error(Errors.EMAIL_SEND_FAILED);
            }
        }
    }

    /** The caller's addresses, copied: the request is over when the email is sent. */
    private static ClientConnection snapshot(ClientConnection c) {
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
