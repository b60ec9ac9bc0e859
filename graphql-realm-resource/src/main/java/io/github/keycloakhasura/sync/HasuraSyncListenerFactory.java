package io.github.keycloakhasura.sync;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.keycloakhasura.bridge.ServiceAccountTokens;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;

/**
 * Provider {@code hasura-sync} of Keycloak's events-listener SPI: realms that list it mirror their users into the
 * app's {@code users} table and their organization memberships into {@code organization_members}, through Hasura
 * (issue 24). Reads the options, runs one {@link SyncWorker} per node while {@code url} is set (and listens to
 * membership changes, {@link OrganizationMembershipEvents}), and shows the outbox in the server info.
 */
public final class HasuraSyncListenerFactory implements EventListenerProviderFactory, ServerInfoAwareProviderFactory {

    public static final String ID = "hasura-sync";

    private SyncSettings settings;
    private KeycloakSessionFactory sessionFactory;
    private SyncWorker worker;
    private OutboxGauges gauges;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
        settings = SyncSettings.read(config);
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        sessionFactory = factory;
        if (settings.enabled()) {
            worker = new SyncWorker(factory, settings, new ServiceAccountTokens(), new HasuraHttp(settings));
            // Deliveries start once Keycloak has migrated its database (the outbox table included) and imported realms.
            factory.register(new OrganizationMembershipEvents());
            factory.register(event -> {
                if (event instanceof PostMigrationEvent) {
                    worker.start();
                    gauges = new OutboxGauges(factory);
                    gauges.register();
                }
            });
        }
    }

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        SyncWorker w = worker;
        return new HasuraSyncListener(session, settings, w == null ? () -> { } : w::wake);
    }

    SyncSettings settings() {
        return settings;
    }

    /** Wakes this node's worker once the session's transaction commits (e.g. after a replay). */
    void wakeAfterCommit(KeycloakSession session) {
        SyncWorker w = worker;
        if (w != null) {
            HasuraSyncListener.enlistWake(session, w::wake);
        }
    }

    @Override
    public void close() {
        if (gauges != null) {
            gauges.remove();
        }
        if (worker != null) {
            worker.stop();
        }
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("url", settings.enabled() ? settings.url().toString() : "(unset: sync off)");
        info.put("client-id", settings.clientId());
        info.put("delete", settings.deleteMode().name().toLowerCase());
        try {
            Outbox.Stats stats = KeycloakModelUtils.runJobInTransactionWithResult(sessionFactory, s -> new Outbox(s).stats());
            info.put("outbox-depth", Long.toString(stats.depth()));
            info.put("outbox-oldest", stats.oldestCreatedAt() == null ? "" : Instant.ofEpochMilli(stats.oldestCreatedAt()).toString());
        } catch (RuntimeException e) {
            info.put("outbox-depth", "unavailable: " + e.getClass().getSimpleName());
        }
        return info;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(SyncSettings.URL).type("string")
                .helpText("Hasura's GraphQL endpoint (e.g. http://graphql-engine:8080/v1/graphql); unset: sync off.").add()
                .property().name(SyncSettings.CLIENT_ID).type("string").defaultValue(SyncSettings.DEFAULT_CLIENT_ID)
                .helpText("Service-account client whose client-credentials token authorizes each delivery.").add()
                .property().name(SyncSettings.DELETE).type("string").defaultValue("soft")
                .helpText("soft: a deleted user's row gets deleted_at; hard: the row is deleted.").add()
                .property().name(SyncSettings.POLL_INTERVAL_MS).type("int").defaultValue(SyncSettings.DEFAULT_POLL_INTERVAL_MS)
                .helpText("How often each node looks for due entries (a commit also wakes its node's worker).").add()
                .property().name(SyncSettings.MAX_BACKOFF_SECONDS).type("int").defaultValue(SyncSettings.DEFAULT_MAX_BACKOFF_SECONDS)
                .helpText("Longest wait between two attempts of an entry while Hasura fails.").add()
                .property().name(SyncSettings.REQUEST_TIMEOUT_MS).type("int").defaultValue(SyncSettings.DEFAULT_REQUEST_TIMEOUT_MS)
                .helpText("Connect and answer timeout of one delivery.").add()
                .build();
    }
}
