package io.github.keycloakhasura.graphql;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;

import java.util.List;

/**
 * What the fetchers of one HTTP request share: the Keycloak adapter ({@link Backend}), the options, the request's Authorization
 * header(s), and the caller once authenticated (at most once per request).
 */
final class RequestContext {

    private final Backend keycloak;
    private final GraphqlConfig config;
    private final List<String> authorization;
    private KeycloakAuth.Caller caller;

    RequestContext(Backend keycloak, GraphqlConfig config, List<String> authorization) {
        this.keycloak = keycloak;
        this.config = config;
        this.authorization = authorization == null ? List.of() : List.copyOf(authorization);
    }

    static RequestContext of(DataFetchingEnvironment env) {
        return of(env.getGraphQlContext());
    }

    static RequestContext of(GraphQLContext context) {
        return context.get(RequestContext.class);
    }

    Backend keycloak() {
        return keycloak;
    }

    GraphqlConfig config() {
        return config;
    }

    /** The authenticated caller, or UNAUTHENTICATED. Fetchers run on the request thread, one at a time. */
    KeycloakAuth.Caller caller() {
        if (caller == null) {
            caller = keycloak.caller(authorization);
        }
        return caller;
    }
}
