package io.github.keycloakhasura.graphql.http;

import io.github.keycloakhasura.compat.KeycloakCompat;
import jakarta.ws.rs.ForbiddenException;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.utils.WebOriginsUtils;
import org.keycloak.services.cors.Cors;

import java.util.Set;

/** CORS for the GraphQL endpoint: Keycloak's own {@link Cors}, granted only to the configured client's web origins. */
public record ClientCors(KeycloakSession session, String clientId) {

    /** Keycloak's CORS answer for a request; {@code origin}: its Origin header, or null. */
    public Cors forRequest(String origin) {
        Cors cors = Cors.builder().auth().allowedMethods("GET", "POST");
        if (origin != null) {
            // Without an Origin header Keycloak's check and its response headers do nothing: no client lookup then.
            try {
                KeycloakCompat.checkAllowedOrigins(cors, session, client());
            } catch (ForbiddenException e) {
                return null;
            }
        }
        return cors;
    }

    /** Keycloak's answer to a preflight from an allowed origin; null for any other. */
    public Cors preflight(String origin) {
        if (origin == null || !originAllowed(origin)) {
            return null;
        }
        return Cors.builder().auth().preflight().allowedMethods("GET", "POST", "OPTIONS");
    }

    private ClientModel client() {
        return session.getContext().getRealm().getClientByClientId(clientId);
    }

    private boolean originAllowed(String origin) {
        ClientModel client = client();
        if (client == null) {
            return false;
        }
        Set<String> origins = WebOriginsUtils.resolveValidWebOrigins(session, client);
        return origins.contains(origin) || origins.contains("*");
    }
}
