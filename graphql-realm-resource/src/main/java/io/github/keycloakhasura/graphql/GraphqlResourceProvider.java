package io.github.keycloakhasura.graphql;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Per request: hands the shared engine and options to a new {@link GraphqlResource}. */
public class GraphqlResourceProvider implements RealmResourceProvider {

    private final KeycloakSession session;
    private final GraphqlEngine engine;
    private final GraphqlConfig config;

    GraphqlResourceProvider(KeycloakSession session, GraphqlEngine engine, GraphqlConfig config) {
        this.session = session;
        this.engine = engine;
        this.config = config;
    }

    @Override
    public Object getResource() {
        return new GraphqlResource(session, engine, config);
    }

    @Override
    public void close() {
    }
}
