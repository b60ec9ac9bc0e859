package io.github.keycloakhasura.sync;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import io.github.keycloakhasura.bridge.ServiceAccountTokenException;
import io.github.keycloakhasura.bridge.ServiceAccountTokens;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The background thread that delivers the outbox after commit: per pass, the oldest entry of each user that is due,
 * leased to this node by one conditional UPDATE (so one node of a cluster delivers it), posted to Hasura outside any
 * transaction, then deleted, or given back with the next attempt's time (1 s, 2 s, 4 s … up to max-backoff-seconds).
 * A user's next entry is due only once the one before it is gone: delivery is in order per user. Entries live in the
 * database, so a restart or another node picks them up; a lease left by a crashed node expires.
 */
final class SyncWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(SyncWorker.class);
    private static final int BATCH = 50;

    private final KeycloakSessionFactory factory;
    private final SyncSettings settings;
    private final ServiceAccountTokens tokens;
    private final HasuraHttp hasura;
    private final String node = UUID.randomUUID().toString();
    private final Object signal = new Object();
    private volatile boolean running;
    private boolean woken;
    private Thread thread;

    SyncWorker(KeycloakSessionFactory factory, SyncSettings settings, ServiceAccountTokens tokens, HasuraHttp hasura) {
        this.factory = factory;
        this.settings = settings;
        this.tokens = tokens;
        this.hasura = hasura;
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this, "hasura-sync");
        thread.setDaemon(true);
        thread.start();
    }

    synchronized void stop() {
        running = false;
        wake();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called after a transaction with outbox entries committed: deliver now rather than at the next poll. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    @Override
    public void run() {
        awaitWake(); // the first pass one poll interval after start: Keycloak finishes starting meanwhile
        while (running) {
            int delivered = 0;
            try {
                delivered = pass();
            } catch (RuntimeException e) {
                LOG.warnf("hasura-sync: reading the outbox failed (%s); retrying", e.toString());
            }
            if (delivered == 0) {
                awaitWake();
            }
        }
    }

    private int pass() {
        long now = System.currentTimeMillis();
        List<Long> due = KeycloakModelUtils.runJobInTransactionWithResult(factory,
                s -> new Outbox(s).due(now, BATCH).stream().map(OutboxEntry::getId).toList());
        int attempted = 0;
        for (Long id : due) {
            if (!running) {
                break;
            }
            if (attempt(id)) {
                attempted++;
            }
        }
        return attempted;
    }

    /** Leases, posts and settles one entry; false when another node had it. */
    private boolean attempt(long id) {
        long now = System.currentTimeMillis();
        Pending p = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> {
            Outbox outbox = new Outbox(s);
            return outbox.claim(id, node, now, now + settings.lease().toMillis())
                    ? outbox.find(id).map(Pending::of).orElse(null) : null;
        });
        if (p == null) {
            return false;
        }
        String failure = deliver(p);
        long settledAt = System.currentTimeMillis();
        KeycloakModelUtils.runJobInTransaction(factory, s -> {
            if (failure == null) {
                new Outbox(s).delivered(id, node);
            } else {
                new Outbox(s).failed(id, node, failure, settledAt + settings.backoff(p.attempts() + 1).toMillis());
            }
        });
        if (failure != null) {
            String message = "hasura-sync: entry %d (user %s) not delivered, attempt %d: %s";
            if (p.attempts() == 0 || (p.attempts() + 1) % 10 == 0) {
                LOG.warnf(message, id, p.userId(), p.attempts() + 1, failure);
            } else {
                LOG.debugf(message, id, p.userId(), p.attempts() + 1, failure);
            }
        }
        return true;
    }

    /** Null when Hasura took it, else why not. */
    private String deliver(Pending p) {
        try {
            String token = tokens.token(factory, p.realmId(), settings.clientId(),
                    p.frontendBase() == null ? null : URI.create(p.frontendBase()));
            String body = HasuraMutations.body(p.kind(), p.userId(), p.payload(), p.createdAt(), settings.deleteMode());
            HasuraHttp.Answer answer = hasura.post(body, token);
            if (answer.status() == 401 || answer.status() == 403) {
                tokens.invalidate(p.realmId(), settings.clientId());
            }
            return HasuraMutations.failure(answer.status(), answer.body());
        } catch (ServiceAccountTokenException e) {
            return "no service-account token: " + e.getMessage();
        } catch (IOException e) {
            return "Hasura unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (RuntimeException e) {
            return "failed: " + e;
        }
    }

    private void awaitWake() {
        synchronized (signal) {
            long until = System.currentTimeMillis() + settings.pollInterval().toMillis();
            while (running && !woken) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    signal.wait(left);
                } catch (InterruptedException e) {
                    if (!running) {
                        return;
                    }
                }
            }
            woken = false;
        }
    }

    /** An entry leased to this node, read out of its transaction. */
    private record Pending(long id, String realmId, String userId, Change.Kind kind, String payload,
                           String frontendBase, long createdAt, int attempts) {
        static Pending of(OutboxEntry e) {
            return new Pending(e.getId(), e.getRealmId(), e.getUserId(), Change.Kind.valueOf(e.getKind()),
                    e.getPayload(), e.getFrontendBase(), e.getCreatedAt(), e.getAttempts());
        }
    }
}
