package io.github.keycloakhasura.graphql.capability;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;

import java.util.List;
import java.util.Map;

/**
 * What the fetchers of one HTTP request share: the request's {@link Ports} (the Keycloak adapters, {@link Backend}
 * among them), the options, the request's Authorization header(s), and the caller once authenticated (at most once
 * per request). The composition root ({@code spi}) builds it; the engine carries it in the GraphQL context.
 */
public final class RequestContext {

    private final Ports ports;
    private final GraphqlConfig config;
    private final List<String> authorization;
    private Caller caller;

    private RequestContext(Ports ports, GraphqlConfig config, List<String> authorization) {
        this.ports = ports;
        this.config = config;
        this.authorization = authorization == null ? List.of() : List.copyOf(authorization);
    }

    /** The context of a request with these ports (the composition root's). */
    public static RequestContext of(Ports ports, GraphqlConfig config, List<String> authorization) {
        return new RequestContext(ports, config, authorization);
    }

    /** A context whose only port is {@code backend} (unit tests and the benchmark of the GraphQL layer). */
    public RequestContext(Backend backend, GraphqlConfig config, List<String> authorization) {
        this(Ports.builder().add(Backend.class, () -> backend).build(), config, authorization);
    }

    /** What the engine puts into the request's GraphQL context (see {@code GraphqlEngine#execute}). */
    public Map<Object, Object> asGraphqlContext() {
        return Map.of(RequestContext.class, this);
    }

    public static RequestContext of(DataFetchingEnvironment env) {
        return of(env.getGraphQlContext());
    }

    public static RequestContext of(GraphQLContext context) {
        return context.get(RequestContext.class);
    }

    /** The request's port of {@code type}, for a capability's fetchers. */
    public static <P> P port(DataFetchingEnvironment env, Class<P> type) {
        return of(env).ports.get(type);
    }

    /** The request's {@link Backend} (the operations not yet in a capability port of their own). */
    public static Backend backend(DataFetchingEnvironment env) {
        return of(env).keycloak();
    }

    /** The request's ports. */
    public Ports ports() {
        return ports;
    }

    public Backend keycloak() {
        return ports.get(Backend.class);
    }

    public GraphqlConfig config() {
        return config;
    }

    /** The authenticated caller, or UNAUTHENTICATED. Fetchers run on the request thread, one at a time. */
    public Caller caller() {
        if (caller == null) {
            caller = keycloak().caller(authorization);
        }
        return caller;
    }

    /** The caller if an operation of this request has authenticated it already, else null (never authenticates). */
    public Caller authenticatedCaller() {
        return caller;
    }
}
