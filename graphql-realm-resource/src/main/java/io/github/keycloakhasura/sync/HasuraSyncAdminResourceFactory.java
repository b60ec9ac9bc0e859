package io.github.keycloakhasura.sync;

import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProvider;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/** Serves {@link HasuraSyncAdminResource} under Keycloak's admin REST API ({@code admin-realm-restapi-extension}). */
public final class HasuraSyncAdminResourceFactory implements AdminRealmResourceProviderFactory, AdminRealmResourceProvider {

    private KeycloakSessionFactory factory;

    @Override
    public String getId() {
        return HasuraSyncListenerFactory.ID;
    }

    @Override
    public AdminRealmResourceProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public Object getResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                              AdminEventBuilder adminEvent) {
        HasuraSyncListenerFactory sync = (HasuraSyncListenerFactory) factory
                .getProviderFactory(EventListenerProvider.class, HasuraSyncListenerFactory.ID);
        return new HasuraSyncAdminResource(session, realm, auth, sync);
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        this.factory = factory;
    }

    @Override
    public void close() {
    }
}
