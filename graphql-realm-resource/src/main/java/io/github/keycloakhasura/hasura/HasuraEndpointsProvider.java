package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.trust.TrustBoundary;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Per-request provider: hands JAX-RS the resource for this realm, in served realms only (elsewhere 404). */
public class HasuraEndpointsProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final HasuraEndpointsConfig config;
    private final TrustBoundary trust;

    public HasuraEndpointsProvider(KeycloakSession session, HasuraEndpointsConfig config, TrustBoundary trust) {
        this.session = session;
        this.config = config;
        this.trust = trust;
    }

    @Override
    public Object getResource() {
        if (!trust.serves(session.getContext().getRealm())) {
            return null;
        }
        return new HasuraResource(session, config, trust);
    }

    @Override
    public void close() {
    }
}
