package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.compat.KeycloakCompat;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import org.keycloak.crypto.KeyUse;
import org.keycloak.jose.jwk.JSONWebKeySet;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Objects;

/**
 * {@code GET /realms/{realm}/hasura/jwks}: the realm's active and passive signing keys (no encryption keys),
 * cacheable for {@code jwks-max-age} seconds, so Hasura refreshes them on a schedule and keeps accepting tokens signed
 * by a key being rotated out.
 */
final class JwksEndpoint {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final HasuraEndpointsConfig config;

    JwksEndpoint(KeycloakSession session, RealmModel realm, HasuraEndpointsConfig config) {
        this.session = session;
        this.realm = realm;
        this.config = config;
    }

    Response answer() {
        JWK[] keys = session.keys().getKeysStream(realm)
                .filter(k -> k.getStatus().isEnabled() && k.getPublicKey() != null && KeyUse.SIG.equals(k.getUse()))
                .map(KeycloakCompat::toJwk)
                .filter(Objects::nonNull)
                .toArray(JWK[]::new);
        JSONWebKeySet set = new JSONWebKeySet();
        set.setKeys(keys);
        CacheControl cache = new CacheControl();
        cache.setNoTransform(false);
        cache.setMaxAge(config.jwksMaxAgeSeconds());
        return Response.ok(set).cacheControl(cache).build();
    }
}
