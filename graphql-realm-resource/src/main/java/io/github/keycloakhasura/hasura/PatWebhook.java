package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.pat.PatCredentials;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.mapper.HasuraSessionVariables;
import io.github.keycloakhasura.mapper.InvalidMapperConfigException;
import io.github.keycloakhasura.trust.TrustBoundary;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Map;
import java.util.Optional;

/**
 * The webhook's answer to {@code Authorization: Bearer <personal access token>} (scripts in Hasura's webhook mode):
 * the token checked on every request (a revoked, expired or unknown token, or a disabled owner: 401), then the
 * owner's session variables for the token's client, limited to the token's roles
 * ({@link HasuraSessionVariables#forPersonalAccessToken}): the same limit as tokenAuthWithPersonalAccessToken's.
 */
final class PatWebhook {

    private PatWebhook() {
    }

    static Map<String, Object> claims(KeycloakSession session, TrustBoundary trust, String token) {
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
        Optional<HasuraMapperConfig> config;
        try {
            config = HasuraSessionVariables.config(client);
        } catch (InvalidMapperConfigException e) {
            throw HasuraRequestException.invalidMapperConfig(e);
        }
        if (config.isEmpty()) {
            throw unauthorized("The token's client has no Hasura claims mapper.");
        }
        Map<String, Object> claims = HasuraSessionVariables.forPersonalAccessToken(config.get(), session, stored.user(), client,
                stored.data().roles());
        PatCredentials.used(stored);
        return claims;
    }

    private static HasuraRequestException unauthorized(String description) {
        return new HasuraRequestException(Response.Status.UNAUTHORIZED, "unauthorized", description);
    }
}
