package io.github.keycloakhasura.graphql.spi;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.http.ClientCors;
import io.github.keycloakhasura.graphql.http.GraphqlResource;
import io.github.keycloakhasura.trust.TrustBoundary;
import jakarta.ws.rs.core.HttpHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/**
 * Per request: composes a new {@link GraphqlResource} from the shared engine and options and this request's
 * context (its Keycloak ports, {@link KeycloakPorts}, and Authorization header), in the realms the trust boundary
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
        RequestContext context = RequestContext.of(KeycloakPorts.of(session, config, trust), config,
                session.getContext().getRequestHeaders().getRequestHeader(HttpHeaders.AUTHORIZATION));
        return new GraphqlResource(session, engine, config, context.asGraphqlContext(),
                new ClientCors(session, config.clientId()));
    }

    @Override
    public void close() {
    }
}
