package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.trust.TrustBoundary;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Map;

/**
 * {@code /realms/{realm}/hasura/…}: what a Hasura operator needs from Keycloak, computed from the realm itself. Only
 * the routes: each endpoint is a class of its own ({@link JwksEndpoint}, {@link JwtConfigEndpoint},
 * {@link DdnAuthConfigEndpoint}, {@link WebhookEndpoint}).
 */
public class HasuraResource {

    private final KeycloakSession session;
    private final HasuraEndpointsConfig config;
    private final RealmModel realm;
    private final TrustBoundary trust;

    public HasuraResource(KeycloakSession session, HasuraEndpointsConfig config, TrustBoundary trust) {
        this.session = session;
        this.config = config;
        this.trust = trust;
        this.realm = session.getContext().getRealm();
    }

    /** The realm's signing keys, cacheable for {@code jwks-max-age} seconds. */
    @GET
    @Path("jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        return new JwksEndpoint(session, realm, config).answer();
    }

    /** The exact {@code HASURA_GRAPHQL_JWT_SECRET} for this realm and client, read from the client's mapper. */
    @GET
    @Path("jwt-config")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwtConfig(@QueryParam("client_id") String clientIdParam,
                              @QueryParam(JwtVerification.ALLOW_NO_AUDIENCE) String allowNoAudience) {
        return new JwtConfigEndpoint(session, realm, config, trust).answer(clientIdParam, allowNoAudience);
    }

    /**
     * Hasura DDN's {@code AuthConfig} for this realm and client: JWT mode (default) or {@code ?mode=webhook};
     * JSON, or YAML with {@code ?format=yaml}.
     */
    @GET
    @Path("ddn-auth-config")
    public Response ddnAuthConfig(@QueryParam("client_id") String clientId, @QueryParam("mode") String mode,
                                  @QueryParam("format") String format,
                                  @QueryParam(JwtVerification.ALLOW_NO_AUDIENCE) String allowNoAudience) {
        return new DdnAuthConfigEndpoint(session, realm, config, trust).answer(clientId, mode, format, allowNoAudience);
    }

    /** Hasura's auth webhook, GET mode: the client's headers arrive as this request's headers. */
    @GET
    @Path("webhook")
    @Produces(MediaType.APPLICATION_JSON)
    public Response webhookGet(@jakarta.ws.rs.core.Context HttpHeaders headers) {
        return OutageAnswer.guard(session, "webhook", () -> new WebhookEndpoint(session, config, trust).answer(
                headers.getHeaderString(HttpHeaders.AUTHORIZATION), headers.getHeaderString(WebhookEndpoint.ROLE_HEADER),
                headers.getHeaderString(WebhookEndpoint.ORG_ID_HEADER)));
    }

    /** Hasura's auth webhook, POST mode: {@code {"headers": {...}, "request": {...}}}. */
    @POST
    @Path("webhook")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response webhookPost(Map<String, Object> body) {
        return OutageAnswer.guard(session, "webhook", () -> new WebhookEndpoint(session, config, trust).answer(body));
    }
}
