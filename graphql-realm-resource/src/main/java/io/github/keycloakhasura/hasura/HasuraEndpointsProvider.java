package io.github.keycloakhasura.hasura;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Per-request provider: hands JAX-RS the resource for this realm. */
public class HasuraEndpointsProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final HasuraEndpointsConfig config;

    public HasuraEndpointsProvider(KeycloakSession session, HasuraEndpointsConfig config) {
        this.session = session;
        this.config = config;
    }

    @Override
    public Object getResource() {
        return new HasuraResource(session, config);
    }

    @Override
    public void close() {
    }
}
