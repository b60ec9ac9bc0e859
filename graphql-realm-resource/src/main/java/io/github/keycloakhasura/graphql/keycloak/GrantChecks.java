package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.trust.TrustBoundary;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;

/** The trust boundary's rules for grants: which clients, and whether offline tokens, before Keycloak sees a request. */
public final class GrantChecks {

    private final TrustBoundary trust;

    public GrantChecks(TrustBoundary trust) {
        this.trust = trust;
    }

    /** tokenAuth's client and the {@code azp} of refreshed and revoked tokens: only {@code allowed-clients}. */
    public void requireAllowedClient(String clientId) {
        if (!trust.allowsClient(clientId)) {
            throw GraphqlException.unauthenticated("Client " + clientId + " is not allowed here (allowed-clients)");
        }
    }

    /**
     * {@code azp} of a token, read without verification only to pick the client; Keycloak verifies it afterwards.
     * A token of a client outside {@code allowed-clients} is refused here, before Keycloak sees it.
     */
    String issuedFor(String token, String invalidMessage) {
        Object azp;
        try {
            azp = Jwts.claim(token, "azp");
        } catch (RuntimeException e) {
            throw GraphqlException.unauthenticated(invalidMessage);
        }
        if (!(azp instanceof String client) || client.isBlank()) {
            throw GraphqlException.unauthenticated(invalidMessage);
        }
        requireAllowedClient(client);
        return client;
    }

    /** A login asking for an offline token ({@code scope=offline_access}) while they are off: FORBIDDEN. */
    void requireOnlineScopeUnlessAllowed(String scope) {
        if (TrustBoundary.asksOffline(scope) && !trust.allowOfflineTokens()) {
            throw offlineRefused();
        }
    }

    /** An offline refresh token ({@code typ} Offline), unless {@code allow-offline-tokens} is on: FORBIDDEN. */
    void requireOnlineUnlessAllowed(String refreshToken) {
        if (trust.allowOfflineTokens() || refreshToken == null) {
            return;
        }
        Object type;
        try {
            type = Jwts.claim(refreshToken, "typ");
        } catch (RuntimeException e) {
            return; // not a JWT: Keycloak refuses it with its own answer
        }
        if (TrustBoundary.OFFLINE_TYPE.equals(type)) {
            throw offlineRefused();
        }
    }

    /** The API logs in only at enabled public clients (a confidential client's secret is not ours to hold). */
    public static void requirePublicClient(KeycloakSession s, String clientId) {
        ClientModel client = s.getContext().getRealm().getClientByClientId(clientId);
        if (client == null || !client.isEnabled()) {
            throw GraphqlException.badInput("Unknown or disabled client: " + clientId);
        }
        if (!client.isPublicClient() || client.isBearerOnly()) {
            throw GraphqlException.forbidden("Client " + clientId + " is not a public client; use Keycloak's token endpoint "
                    + "with its credentials instead");
        }
    }

    private static GraphqlException offlineRefused() {
        return GraphqlException.forbidden("Offline tokens are not allowed here (scope " + TrustBoundary.OFFLINE_ACCESS
                + "; the server option allow-offline-tokens is off)");
    }
}
