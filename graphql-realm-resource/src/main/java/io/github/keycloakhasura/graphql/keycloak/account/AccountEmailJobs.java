package io.github.keycloakhasura.graphql.keycloak.account;

import org.jboss.logging.Logger;
import org.keycloak.common.ClientConnection;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The anonymous mutations that take an address (sendPasswordResetEmail, resendActivationEmail, createUser's emails)
 * must not tell by their time whether it has an account. So the request thread only notes its {@link Origin} and
 * queues a job; looking the user up, the rate-limit reservation, signing the action token and sending (through
 * {@link AccountMailer}) all happen in that job, and the request does the same work whatever the address.
 */
final class AccountEmailJobs {

    private static final Logger LOG = Logger.getLogger(AccountEmailJobs.class);

    /** How long after the request's commit an {@link #afterCommit} job starts. */
    static final long JOB_DELAY_MS = 1000;

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
                AccountMailer.snapshot(s.getContext().getConnection()));
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
        ExecutorService executor = s.getProvider(ExecutorsProvider.class).getExecutor(AccountMailer.EXECUTOR);
        s.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                CompletableFuture.delayedExecutor(JOB_DELAY_MS, TimeUnit.MILLISECONDS, task -> {
                    try {
                        executor.execute(task);
                    } catch (RejectedExecutionException e) {
                        LOG.warnf("account email job %s dropped: the %s executor is saturated", what, AccountMailer.EXECUTOR);
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
    static void send(KeycloakSession w, Origin origin, UserModel user, AccountMailer.Mail mail, String link,
                     int lifespanSeconds) {
        Locale locale = user.getFirstAttribute(UserModel.LOCALE) != null ? null : origin.locale();
        AccountMailer.send(w, origin.realmId(), user.getId(), AccountMailer.Recipient.current(user.getEmail()), locale,
                origin.connection(), mail, link, lifespanSeconds, origin.clientId(), Map.of());
    }
}
