package io.github.keycloakhasura.graphql.fetchers;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;

import java.util.List;
import java.util.Map;

/**
 * What the fetchers of one HTTP request share: the Keycloak adapter ({@link Backend}), the options, the request's Authorization
 * header(s), and the caller once authenticated (at most once per request).
 */
public final class RequestContext {

    private final Backend keycloak;
    private final GraphqlConfig config;
    private final List<String> authorization;
    private Caller caller;

    public RequestContext(Backend keycloak, GraphqlConfig config, List<String> authorization) {
        this.keycloak = keycloak;
        this.config = config;
        this.authorization = authorization == null ? List.of() : List.copyOf(authorization);
    }

    /** What the engine puts into the request's GraphQL context (see {@code GraphqlEngine#execute}). */
    public Map<Object, Object> asGraphqlContext() {
        return Map.of(RequestContext.class, this);
    }

    static RequestContext of(DataFetchingEnvironment env) {
        return of(env.getGraphQlContext());
    }

    static RequestContext of(GraphQLContext context) {
        return context.get(RequestContext.class);
    }

    /** The request's {@link Backend}, for the fetchers of capability packages (e.g. {@code graphql.passwordless}). */
    public static Backend backend(DataFetchingEnvironment env) {
        return of(env).keycloak;
    }

    Backend keycloak() {
        return keycloak;
    }

    GraphqlConfig config() {
        return config;
    }

    /** The authenticated caller, or UNAUTHENTICATED. Fetchers run on the request thread, one at a time. */
    Caller caller() {
        if (caller == null) {
            caller = keycloak.caller(authorization);
        }
        return caller;
    }

    /** The caller if an operation of this request has authenticated it already, else null (never authenticates). */
    Caller authenticatedCaller() {
        return caller;
    }
}
