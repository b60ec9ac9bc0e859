package io.github.keycloakhasura.sync;

import java.util.List;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * Adds the outbox entity and its Liquibase changelog to Keycloak's persistence unit (Keycloak's
 * {@code jpa-entity-provider} SPI; its changelog table is {@code DATABASECHANGELOG_HASURA_SYN}).
 */
public final class OutboxEntityProvider implements JpaEntityProvider, JpaEntityProviderFactory {

    public static final String ID = "hasura-sync";

    @Override
    public List<Class<?>> getEntities() {
        return List.of(OutboxEntry.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/hasura-sync-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return ID;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public JpaEntityProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
