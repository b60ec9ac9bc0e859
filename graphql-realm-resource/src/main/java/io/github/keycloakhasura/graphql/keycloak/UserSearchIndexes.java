package io.github.keycloakhasura.graphql.keycloak;

import org.keycloak.Config;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

import java.util.List;

/**
 * Indexes that let PostgreSQL answer Keycloak's own user search ({@code usersPage(search:)}, the admin console's
 * search) without reading the realm's whole user table: a Liquibase changelog (no entities) run by Keycloak's
 * {@code jpa-entity-provider} SPI at start-up, in its changelog table {@code DATABASECHANGELOG_HASURA_USE}.
 * <p>
 * Keycloak's search for a term is {@code username LIKE 't%' OR email LIKE 't%' OR lower(first_name) LIKE 't%' OR
 * lower(last_name) LIKE 't%'} ({@code JpaUserProvider#getSearchOptionPredicate}): no index Keycloak creates serves the
 * two {@code lower()} expressions, and under a non-C collation none serves a {@code LIKE} at all, so one unindexed
 * branch makes the whole {@code OR} a scan of every user (about 1 s at a million users). One b-tree per branch, on
 * exactly the expression Keycloak's query compares and with the pattern operator class (prefix {@code LIKE} under any
 * collation), turns it into a bitmap OR of four index range scans. The query, and so every result, stays Keycloak's:
 * only its plan changes. Other databases get nothing (the changesets are {@code dbms="postgresql"}).
 */
public final class UserSearchIndexes implements JpaEntityProvider, JpaEntityProviderFactory {

    public static final String ID = "hasura-user-search";

    @Override
    public List<Class<?>> getEntities() {
        return List.of();
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/hasura-user-search-changelog.xml";
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
