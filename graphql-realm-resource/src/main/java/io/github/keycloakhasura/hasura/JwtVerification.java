package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.trust.TrustBoundary;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.mapper.HasuraSessionVariables;
import io.github.keycloakhasura.mapper.InvalidMapperConfigException;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.mappers.AudienceProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.services.Urls;
import org.keycloak.urls.UrlType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a Hasura engine (v2's {@code HASURA_GRAPHQL_JWT_SECRET} or DDN's {@code AuthConfig}) needs to verify this realm's
 * tokens for one client: computed once here from the realm and the client's own mappers.
 *
 * @param algorithm  the realm's signature algorithm
 * @param jwkUrl     the realm's {@code /hasura/jwks}
 * @param issuer     the {@code iss} of the realm's tokens
 * @param audiences  the audiences the client's audience mappers put in access tokens (empty: none to check)
 * @param mapper     the client's Hasura claims mapper options (namespace, format)
 */
public record JwtVerification(String algorithm, String jwkUrl, String issuer, List<String> audiences,
                              HasuraMapperConfig mapper) {

    /** The query parameter of {@code jwt-config} and {@code ddn-auth-config} that accepts a client without audience. */
    static final String ALLOW_NO_AUDIENCE = "allowNoAudience";

    /**
     * @param clientId        the client to describe, or {@code null}/blank for the configured default client
     * @param allowNoAudience the {@code allowNoAudience} query parameter: {@code true} describes a client whose access
     *                        tokens carry no audience (else a 409 {@code no_audience})
     * @throws HasuraRequestException 404 for an unknown client, one outside {@code allowed-clients} or one without a
     *                                Hasura mapper; 409 for a mapper whose options are unusable (also two Hasura
     *                                mappers) or, unless allowed, no audience; 400 for a bad {@code allowNoAudience}
     */
    static JwtVerification of(KeycloakSession session, RealmModel realm, HasuraEndpointsConfig config, TrustBoundary trust,
                              String clientId, String allowNoAudience) {
        boolean withoutAudience = allowNoAudience(allowNoAudience);
        ClientModel client = client(realm, config, trust, clientId);
        HasuraMapperConfig mapperConfig;
        try {
            mapperConfig = HasuraSessionVariables.config(client).orElseThrow(() -> new HasuraRequestException(
                    Response.Status.NOT_FOUND, "mapper_not_found", "Client '" + client.getClientId()
                    + "' has no Hasura claims mapper (add one to the client or to one of its default client scopes)."));
        } catch (InvalidMapperConfigException e) {
            throw HasuraRequestException.invalidMapperConfig(e);
        }
        List<String> audiences = audiences(HasuraSessionVariables.mappers(client).toList());
        if (audiences.isEmpty() && !withoutAudience) {
            throw new HasuraRequestException(Response.Status.CONFLICT, "no_audience", "Access tokens of client '"
                    + client.getClientId() + "' carry no audience for Hasura to check, so Hasura would also accept "
                    + "other tokens of this realm carrying the claims (an ID token, for one). Add an audience mapper: "
                    + "Client scopes -> hasura (or the client's dedicated scope) -> Mappers -> By configuration -> "
                    + "Audience, 'Included Custom Audience' = hasura, 'Add to access token' on, 'Add to ID token' off. "
                    + "To describe it without an audience anyway, add ?allowNoAudience=true.");
        }
        String algorithm = realm.getDefaultSignatureAlgorithm();
        return new JwtVerification(
                algorithm == null || algorithm.isBlank() ? Constants.DEFAULT_SIGNATURE_ALGORITHM : algorithm,
                endpointUrl(session, realm, "jwks"),
                Urls.realmIssuer(session.getContext().getUri(UrlType.FRONTEND).getBaseUri(), realm.getName()),
                audiences,
                mapperConfig);
    }

    /** {@code ?allowNoAudience=}: absent or {@code false}, or {@code true}; anything else is a 400. */
    private static boolean allowNoAudience(String raw) {
        if (raw == null || raw.isBlank() || raw.trim().equalsIgnoreCase("false")) {
            return false;
        }
        if (raw.trim().equalsIgnoreCase("true")) {
            return true;
        }
        throw new HasuraRequestException(Response.Status.BAD_REQUEST, "invalid_request",
                "Query parameter 'allowNoAudience' must be 'true' or 'false'.");
    }

    /**
     * The named client (or the configured default), or a 404 naming it: also for a client outside
     * {@code allowed-clients}, whose tokens nothing here accepts (the same trust boundary as every other endpoint).
     */
    static ClientModel client(RealmModel realm, HasuraEndpointsConfig config, TrustBoundary trust, String clientId) {
        String id = clientId == null || clientId.isBlank() ? config.defaultClientId() : clientId.trim();
        ClientModel client = realm.getClientByClientId(id);
        if (client == null) {
            throw new HasuraRequestException(Response.Status.NOT_FOUND, "client_not_found",
                    "Client '" + id + "' does not exist in realm '" + realm.getName() + "'.");
        }
        if (!trust.allowsClient(id)) {
            throw new HasuraRequestException(Response.Status.NOT_FOUND, "client_not_allowed", "Client '" + id
                    + "' is not one of the allowed clients (server option allowed-clients), so its tokens are not accepted here.");
        }
        return client;
    }

    /** {@code <backend url>/realms/{realm}/hasura/{path}}: where a Hasura engine reaches this extension. */
    static String endpointUrl(KeycloakSession session, RealmModel realm, String path) {
        return session.getContext().getUri(UrlType.BACKEND).getBaseUriBuilder()
                .path("realms").path(realm.getName()).path(HasuraEndpointsProviderFactory.ID).path(path).build().toString();
    }

    private static List<String> audiences(List<ProtocolMapperModel> mappers) {
        Set<String> result = new LinkedHashSet<>();
        for (ProtocolMapperModel m : mappers) {
            if (!AudienceProtocolMapper.PROVIDER_ID.equals(m.getProtocolMapper())
                    || !OIDCAttributeMapperHelper.includeInAccessToken(m)) {
                continue;
            }
            for (String key : List.of(AudienceProtocolMapper.INCLUDED_CLIENT_AUDIENCE, AudienceProtocolMapper.INCLUDED_CUSTOM_AUDIENCE)) {
                String value = m.getConfig().get(key);
                if (value != null && !value.isBlank()) {
                    result.add(value.trim());
                }
            }
        }
        return new ArrayList<>(result);
    }
}
