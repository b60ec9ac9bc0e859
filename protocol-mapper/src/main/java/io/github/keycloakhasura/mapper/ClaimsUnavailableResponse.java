package io.github.keycloakhasura.mapper;

import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

/**
 * How a token request ends when the claims query fails under {@code closed}: Keycloak's own error answer, as a client
 * policy's refusal is given ({@link CorsErrorResponseException}: JSON {@code {"error", "error_description"}} with the
 * token endpoint's CORS headers, no stack trace), HTTP 503 {@value #ERROR}. Thrown from the mapper, it passes through
 * Keycloak's grant types unchanged to the endpoint (token, userinfo, introspection); the GraphQL endpoint answers it
 * with {@code CLAIMS_UNAVAILABLE}.
 */
public final class ClaimsUnavailableResponse extends CorsErrorResponseException {

    private static final long serialVersionUID = 1L;

    /** OAuth's error code for a server that cannot answer now (RFC 6749 4.1.2.1). */
    public static final String ERROR = "temporarily_unavailable";

    public ClaimsUnavailableResponse(KeycloakSession session, ClaimsUnavailableException cause) {
        // The token endpoint's own Cors (one provider instance per session), so a browser client reads the error.
        super(session.getProvider(Cors.class), ERROR, cause.getMessage(), Response.Status.SERVICE_UNAVAILABLE);
    }
}
