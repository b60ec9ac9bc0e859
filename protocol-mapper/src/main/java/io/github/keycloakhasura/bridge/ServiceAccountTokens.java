package io.github.keycloakhasura.bridge;

import java.net.URI;
import java.util.HashMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.common.util.Time;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.cors.Cors;

/**
 * Access tokens of a service-account client (e.g. {@code hasura-sync}), issued in process by Keycloak's own
 * client-credentials grant ({@code ClientCredentialsGrantType}: the service-account user, a transient session, the
 * client's protocol mappers, client policies and the {@code CLIENT_LOGIN} event), never minted here.
 *
 * <p>Each issuance runs in a Keycloak session and transaction of its own. A token is reused until
 * {@link #REFRESH_MARGIN_SECONDS} before it expires. Hold one instance per provider factory (no static state).
 *
 * <p>On a request thread the issuer comes from the request, as at the token endpoint. On a background thread
 * (no request) pass the frontend base URI noted from a request (e.g. {@code http://localhost:8080/}); Keycloak's
 * hostname provider still applies ({@code hostname} option, realm frontend URL), as for Keycloak's own background work.
 */
public final class ServiceAccountTokens {

    /** A cached token is replaced when it has less than this many seconds left. */
    public static final long REFRESH_MARGIN_SECONDS = 30;

    private final ConcurrentMap<Key, Issued> cache = new ConcurrentHashMap<>();
    private final LongSupplier clockSeconds;
    private final Issuer issuer;

    public ServiceAccountTokens() {
        this.clockSeconds = Time::currentTime;
        this.issuer = (factory, realmId, clientId, base) -> KeycloakModelUtils.runJobInTransactionWithResult(factory,
                s -> issue(s, realmId, clientId, base));
    }

    ServiceAccountTokens(LongSupplier clockSeconds, Issuer issuer) {
        this.clockSeconds = clockSeconds;
        this.issuer = issuer;
    }

    /** The client's service-account access token, issued from the current request's URL (request threads). */
    public String token(KeycloakSessionFactory factory, String realmId, String clientId) {
        return token(factory, realmId, clientId, null);
    }

    /**
     * The client's service-account access token.
     *
     * @param frontendBaseUri Keycloak's frontend base URI, used only when the thread serves no request
     * @throws ServiceAccountTokenException when Keycloak refuses (unknown realm or client, no service account,
     *         public client, disabled service-account user, client policy) or no base URI is known
     */
    public String token(KeycloakSessionFactory factory, String realmId, String clientId, URI frontendBaseUri) {
        Key key = new Key(realmId, clientId, frontendBaseUri == null ? null : frontendBaseUri.toString());
        long now = clockSeconds.getAsLong();
        Issued cached = cache.get(key);
        if (cached != null && cached.usableAt(now)) {
            return cached.token();
        }
        Issued fresh = issuer.issue(factory, realmId, clientId, frontendBaseUri);
        cache.put(key, fresh);
        return fresh.token();
    }

    /** Forgets the cached tokens of a client (e.g. after Hasura answered 401, or the client changed). */
    public void invalidate(String realmId, String clientId) {
        cache.keySet().removeIf(k -> k.realmId().equals(realmId) && k.clientId().equals(clientId));
    }

    private Issued issue(KeycloakSession s, String realmId, String clientId, URI frontendBaseUri) {
        RealmModel realm = s.realms().getRealm(realmId);
        if (realm == null) {
            throw new ServiceAccountTokenException("no realm " + realmId);
        }
        s.getContext().setRealm(realm);
        ClientModel client = realm.getClientByClientId(clientId);
        if (client == null) {
            throw new ServiceAccountTokenException("no client " + clientId + " in realm " + realm.getName());
        }
        s.getContext().setClient(client);
        if (!DetachedRequest.hasRequest(s)) {
            if (frontendBaseUri == null) {
                throw new ServiceAccountTokenException("no request to take the issuer from, and no frontend base URI");
            }
            DetachedRequest.attach(s, frontendBaseUri);
        }
        OAuth2GrantType grant = s.getProvider(OAuth2GrantType.class, OAuth2Constants.CLIENT_CREDENTIALS);
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle(OAuth2Constants.GRANT_TYPE, OAuth2Constants.CLIENT_CREDENTIALS);
        EventBuilder event = new EventBuilder(realm, s, s.getContext().getConnection())
                .event(grant.getEventType()).client(client);
        long issuedAt = clockSeconds.getAsLong();
        Response response;
        try {
            response = grant.process(new OAuth2GrantType.Context(s, OIDCAdvancedConfigWrapper.fromClientModel(client),
                    new HashMap<>(), form, event, Cors.builder(), new TokenManager()));
        } catch (WebApplicationException refused) {
            throw new ServiceAccountTokenException("Keycloak refused a service-account token for client " + clientId
                    + " (HTTP " + refused.getResponse().getStatus() + ")");
        }
        if (!(response.getEntity() instanceof AccessTokenResponse tokens) || tokens.getToken() == null) {
            throw new ServiceAccountTokenException("Keycloak issued no access token for client " + clientId
                    + " (HTTP " + response.getStatus() + ")");
        }
        return new Issued(tokens.getToken(), issuedAt + tokens.getExpiresIn());
    }

    /** Issues a token in a session of its own (Keycloak's grant; a stand-in in unit tests). */
    @FunctionalInterface
    interface Issuer {
        Issued issue(KeycloakSessionFactory factory, String realmId, String clientId, URI frontendBaseUri);
    }

    record Key(String realmId, String clientId, String base) {
        Key {
            Objects.requireNonNull(realmId, "realmId");
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    record Issued(String token, long expiresAtSeconds) {
        boolean usableAt(long nowSeconds) {
            return nowSeconds < expiresAtSeconds - REFRESH_MARGIN_SECONDS;
        }
    }
}
