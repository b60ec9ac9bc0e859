package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.pat.PatCredentials;
import io.github.keycloakhasura.trust.TrustBoundary;
import io.github.keycloakhasura.variables.LiveSessionVariables;
import io.github.keycloakhasura.variables.SessionVariables;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * The webhook's answer to {@code Authorization: Bearer <personal access token>} (scripts in Hasura's webhook mode):
 * the token checked on every request (a revoked, expired or unknown token, or a disabled owner: 401), then the
 * owner's session variables for the token's client, limited to the token's roles
 * ({@link LiveSessionVariables#ofPersonalAccessToken}): the same limit as tokenAuthWithPersonalAccessToken's.
 */
final class PatWebhook {

    private PatWebhook() {
    }

    static SessionVariables variables(KeycloakSession session, TrustBoundary trust, String token) {
        RealmModel realm = session.getContext().getRealm();
        PatCredentials.Stored stored = PatCredentials.find(session, realm, token);
        if (stored == null || stored.expired() || !stored.user().isEnabled()) {
            throw unauthorized("Invalid, expired or revoked personal access token.");
        }
        String clientId = stored.data().clientId();
        ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
        if (client == null || !client.isEnabled() || !trust.allowsClient(clientId)) {
            throw unauthorized("Tokens of this client are not accepted here (allowed-clients).");
        }
        SessionVariables variables = LiveSessionVariables.ofPersonalAccessToken(session, stored.user(), client,
                stored.data().roles());
        if (variables instanceof SessionVariables.Variables || variables instanceof SessionVariables.NoRole) {
            PatCredentials.used(stored);
        }
        return variables;
    }

    private static HasuraRequestException unauthorized(String description) {
        return new HasuraRequestException(Response.Status.UNAUTHORIZED, "unauthorized", description);
    }
}
