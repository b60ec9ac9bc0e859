package io.github.keycloakhasura.sync;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The outbox as metrics in Keycloak's registry (served at {@code /metrics} with {@code --metrics-enabled=true}):
 * {@code keycloak_hasura_sync_outbox_depth} and {@code keycloak_hasura_sync_outbox_oldest_age_seconds} (0 when empty).
 * One database read per {@link #MAX_AGE_MILLIS} at most, however often they are scraped.
 */
final class OutboxGauges {

    static final long MAX_AGE_MILLIS = 5000;

    private final KeycloakSessionFactory factory;
    private final List<Meter> meters = new ArrayList<>();
    private Outbox.Stats last;
    private long readAt;

    OutboxGauges(KeycloakSessionFactory factory) {
        this.factory = factory;
    }

    void register() {
        meters.add(Gauge.builder("keycloak.hasura.sync.outbox.depth", this, g -> g.stats().depth())
                .description("Entries of the hasura-sync outbox not yet delivered to Hasura").register(Metrics.globalRegistry));
        meters.add(Gauge.builder("keycloak.hasura.sync.outbox.oldest.age", this, OutboxGauges::oldestAgeSeconds)
                .baseUnit("seconds").description("Age of the oldest undelivered hasura-sync outbox entry (0: none)")
                .register(Metrics.globalRegistry));
    }

    void remove() {
        meters.forEach(Metrics.globalRegistry::remove);
        meters.clear();
    }

    private double oldestAgeSeconds() {
        Long oldest = stats().oldestCreatedAt();
        return oldest == null ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
    }

    private synchronized Outbox.Stats stats() {
        long now = System.currentTimeMillis();
        if (last == null || now - readAt > MAX_AGE_MILLIS) {
            try {
                last = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> new Outbox(s).stats());
            } catch (RuntimeException e) {
                last = last == null ? new Outbox.Stats(0, null) : last; // the database answers again at the next read
            }
            readAt = now;
        }
        return last;
    }
}
