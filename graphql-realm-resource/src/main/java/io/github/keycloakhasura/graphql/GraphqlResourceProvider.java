package io.github.keycloakhasura.graphql;

import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.http.GraphqlResource;
import io.github.keycloakhasura.graphql.keycloak.ClientCors;
import io.github.keycloakhasura.graphql.keycloak.KeycloakBackend;
import io.github.keycloakhasura.trust.TrustBoundary;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * Per request: composes a new {@link GraphqlResource} from the shared engine and options and this request's
 * Keycloak backend, in the realms the trust boundary
 * serves only (elsewhere {@code null}: Keycloak answers 404, as for a path that does not exist).
 */
public class GraphqlResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final GraphqlEngine engine;
    private final GraphqlConfig config;
    private final TrustBoundary trust;

    GraphqlResourceProvider(KeycloakSession session, GraphqlEngine engine, GraphqlConfig config, TrustBoundary trust) {
        this.session = session;
        this.engine = engine;
        this.config = config;
        this.trust = trust;
    }

    @Override
    public Object getResource() {
        if (!trust.serves(session.getContext().getRealm())) {
            return null;
        }
        return new GraphqlResource(session, engine, config, new KeycloakBackend(session, config, trust),
                new ClientCors(session, config.clientId()));
    }

    @Override
    public void close() {
    }
}
