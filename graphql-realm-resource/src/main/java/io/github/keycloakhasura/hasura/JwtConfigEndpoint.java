package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.trust.TrustBoundary;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /realms/{realm}/hasura/jwt-config?client_id=&allowNoAudience=}: the exact
 * {@code HASURA_GRAPHQL_JWT_SECRET} for this realm and client, read from the client's mapper ({@link JwtVerification}).
 */
final class JwtConfigEndpoint {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final HasuraEndpointsConfig config;
    private final TrustBoundary trust;

    JwtConfigEndpoint(KeycloakSession session, RealmModel realm, HasuraEndpointsConfig config, TrustBoundary trust) {
        this.session = session;
        this.realm = realm;
        this.config = config;
        this.trust = trust;
    }

    Response answer(String clientId, String allowNoAudience) {
        JwtVerification jwt;
        try {
            jwt = JwtVerification.of(session, realm, config, trust, clientId, allowNoAudience);
        } catch (HasuraRequestException e) {
            return e.toResponse();
        }
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("type", jwt.algorithm());
        secret.put("jwk_url", jwt.jwkUrl());
        secret.put("issuer", jwt.issuer());
        if (jwt.audiences().size() == 1) {
            secret.put("audience", jwt.audiences().get(0));
        } else if (!jwt.audiences().isEmpty()) {
            secret.put("audience", jwt.audiences());
        }
        secret.put("claims_namespace", jwt.mapper().namespace());
        secret.put("claims_format", jwt.mapper().format().value);
        return Response.ok(secret).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }
}
