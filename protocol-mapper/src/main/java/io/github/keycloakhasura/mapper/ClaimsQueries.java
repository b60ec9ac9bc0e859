package io.github.keycloakhasura.mapper;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.bridge.ServiceAccountTokenException;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.Map;

/**
 * A user's session variables from the app's data: the claims query's values from the cache while their TTL lasts,
 * else from Hasura (with the service account's bearer token), and what a failure means ({@code closed}: a
 * {@link ClaimsUnavailableException}; {@code omit}: no values). One instance per node, held by the mapper's factory.
 */
public final class ClaimsQueries {

    private static final Logger LOG = Logger.getLogger(ClaimsQueries.class);

    /** The service account's bearer token for a realm's claims queries. */
    @FunctionalInterface
    public interface Bearer {
        /**
         * @throws ServiceAccountTokenException when Keycloak issues none
         */
        String token(KeycloakSession session, RealmModel realm);
    }

    private final ClaimsCache cache;
    private final ClaimsQueryClient client;
    private final Bearer bearer;

    public ClaimsQueries(ClaimsCache cache, ClaimsQueryClient client, Bearer bearer) {
        this.cache = cache;
        this.client = client;
        this.bearer = bearer;
    }

    /**
     * The values of {@code options}' claims query for {@code user}: session variable name to value. None when the
     * query is off, for a service account (it has no row in the app's data, and its token is what the query is sent
     * with), and after a failure under {@code omit}.
     *
     * @throws ClaimsUnavailableException after a failure under {@code closed}
     */
    public Map<String, String> values(KeycloakSession session, RealmModel realm, UserModel user, ClaimsQueryOptions options) {
        if (!options.enabled() || user.getServiceAccountClientLink() != null) {
            return Map.of();
        }
        ClaimsCache.Key key = new ClaimsCache.Key(realm.getId(), user.getId(), options);
        Map<String, String> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        long sentAt = cache.now();
        Map<String, String> values;
        try {
            values = query(session, realm, user, options);
        } catch (ClaimsQueryFailure failure) {
            if (options.onFailure() == ClaimsQueryOptions.OnFailure.OMIT) {
                LOG.warnf("Claims query for user %s in realm %s failed, its session variables are left out (on-failure "
                        + "omit): %s", user.getId(), realm.getName(), failure.detail());
                return Map.of();
            }
            LOG.warnf("Claims query for user %s in realm %s failed, no session variables (on-failure closed): %s",
                    user.getId(), realm.getName(), failure.detail());
            throw new ClaimsUnavailableException("The session variables from the app's data are unavailable: "
                    + failure.getMessage() + ".");
        }
        cache.put(key, values, sentAt);
        return values;
    }

    private Map<String, String> query(KeycloakSession session, RealmModel realm, UserModel user, ClaimsQueryOptions options)
            throws ClaimsQueryFailure {
        String token;
        try {
            token = bearer.token(session, realm);
        } catch (ServiceAccountTokenException e) {
            throw new ClaimsQueryFailure("Keycloak issued no service-account token for the claims query", e.getMessage());
        }
        JsonNode answer = client.send(options, user.getId(), token);
        return ClaimsQueryResult.values(options, answer);
    }

    /** How many users' values are cached now (server info). */
    public int cached() {
        return cache.size();
    }
}
