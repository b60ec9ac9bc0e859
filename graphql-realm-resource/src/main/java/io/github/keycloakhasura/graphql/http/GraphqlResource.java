package io.github.keycloakhasura.graphql.http;

import graphql.language.OperationDefinition;
import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.engine.GraphqlErrors;
import io.github.keycloakhasura.graphql.engine.GraphqlRequest;
import io.github.keycloakhasura.outage.DatabaseOutage;
import io.github.keycloakhasura.outage.RequestTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.cors.Cors;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /realms/{realm}/graphql}: GraphQL over HTTP. POST takes {@code application/json} only (anything else is
 * 415, so browsers cannot send it cross-site without a CORS preflight); GET runs queries only (a mutation is 405).
 * The answer is {@code application/graphql-response+json} when the client accepts it, else {@code application/json}.
 * CORS is granted only to the web origins of the configured client ({@link ClientCors}). The request's objects (its
 * Keycloak ports, the Authorization header) come composed ({@code spi.GraphqlResourceProvider}) and go to the engine
 * as its GraphQL context.
 */
public class GraphqlResource {

    private static final Logger LOG = Logger.getLogger(GraphqlResource.class);
    private static final String METHODS = "GET, POST, OPTIONS";

    private final KeycloakSession session;
    private final GraphqlEngine engine;
    private final GraphqlConfig config;
    private final Map<Object, Object> context;
    private final ClientCors cors;

    public GraphqlResource(KeycloakSession session, GraphqlEngine engine, GraphqlConfig config, Map<Object, Object> context, ClientCors cors) {
        this.session = session;
        this.engine = engine;
        this.config = config;
        this.context = context;
        this.cors = cors;
    }

    /**
     * Only JSON bodies reach this method. Keycloak parses form-encoded and multipart bodies before any resource
     * method runs, and answers 500 when they are malformed (as at its own token endpoint); without a JSON
     * {@code @Consumes} they would be parsed here too. Other media types get RESTEasy's 415 before the body is read.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response post(InputStream body) {
        return handle(false, body);
    }

    @GET
    public Response get() {
        return handle(true, null);
    }

    @OPTIONS
    public Response preflight() {
        Cors preflight = cors.preflight(header("Origin"));
        if (preflight != null) {
            return preflight.add(Response.ok().header("Allow", METHODS));
        }
        return Response.ok().header("Allow", METHODS).build();
    }

    private Response handle(boolean get, InputStream body) {
        Cors cors = this.cors.forRequest(header("Origin"));
        if (cors == null) {
            return problem(new GraphqlHttp.Problem(403, "Origin not allowed"), GraphqlHttp.APPLICATION_JSON, null);
        }
        String mediaType = GraphqlHttp.APPLICATION_JSON;
        try {
            mediaType = GraphqlHttp.responseMediaType(header(HttpHeaders.ACCEPT));
            GraphqlRequest request;
            if (get) {
                request = GraphqlHttp.parseQueryParameters(session.getContext().getUri().getQueryParameters());
                OperationDefinition.Operation operation = engine.operationOf(request.query(), request.operationName());
                if (operation != null && operation != OperationDefinition.Operation.QUERY) {
                    throw new GraphqlHttp.Problem(405, "Only queries may be sent with GET; use POST for "
                            + operation.name().toLowerCase(Locale.ROOT) + "s", "POST");
                }
            } else {
                GraphqlHttp.requireJsonBody(header(HttpHeaders.CONTENT_TYPE));
                request = GraphqlHttp.parseBody(read(body));
            }
            GraphqlEngine.Outcome outcome = engine.execute(request, context,
                    config.introspectionAllowed(this::header));
            RequestTransaction.end(session); // a failed commit is answered below (503 or 500 with an id)
            int status = outcome.requestError() && mediaType.equals(GraphqlHttp.GRAPHQL_RESPONSE_JSON) ? 400 : 200;
            return cors.add(Response.status(status)
                    .type(mediaType + "; charset=utf-8")
                    .header("Cache-Control", "no-store")
                    .entity(ResponseWriter.write(outcome.body())));
        } catch (GraphqlHttp.Problem problem) {
            return problem(problem, mediaType, cors);
        } catch (RuntimeException e) {
            String id = UUID.randomUUID().toString();
            if (DatabaseOutage.isCause(e)) {
                RequestTransaction.abandon(session);
                LOG.warnf(e, "GraphQL request failed: the database cannot be reached (error id %s)", id);
                return problem(new GraphqlHttp.Problem(503, DatabaseOutage.MESSAGE + " (error id " + id + ")"), mediaType, cors);
            }
            LOG.errorf(e, "GraphQL request failed (error id %s)", id);
            return problem(new GraphqlHttp.Problem(500, GraphqlErrors.INTERNAL_MESSAGE + " (error id " + id + ")"), mediaType, cors);
        }
    }

    private Response problem(GraphqlHttp.Problem problem, String mediaType, Cors cors) {
        ErrorCode code = problem.status() == 403 ? ErrorCode.FORBIDDEN
                : problem.status() == 503 ? ErrorCode.UNAVAILABLE
                : problem.status() >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_USER_INPUT;
        Response.ResponseBuilder builder = Response.status(problem.status())
                .type(mediaType + "; charset=utf-8")
                .header("Cache-Control", "no-store")
                .entity(ResponseWriter.errorBody(problem.getMessage(), code));
        if (problem.allow() != null) {
            builder.header("Allow", problem.allow());
        }
        if (code == ErrorCode.UNAVAILABLE) {
            builder.header("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS);
        }
        return cors == null ? builder.build() : cors.add(builder);
    }

    private byte[] read(InputStream body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = body.readNBytes(config.maxRequestBytes() + 1);
            if (bytes.length > config.maxRequestBytes()) {
                throw new GraphqlHttp.Problem(413, "The request body is larger than " + config.maxRequestBytes() + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new GraphqlHttp.Problem(400, "The request body could not be read");
        }
    }

    private String header(String name) {
        List<String> values = session.getContext().getRequestHeaders().getRequestHeader(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
