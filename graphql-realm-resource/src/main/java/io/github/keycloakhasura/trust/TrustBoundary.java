package io.github.keycloakhasura.trust;

import io.github.keycloakhasura.options.OptionReader;
import org.keycloak.models.RealmModel;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which clients, realms and tokens the GraphQL endpoint and the Hasura helpers trust: ONE value for both, read once
 * at start-up from the GraphQL provider's options ({@code --spi-realm-restapi-extension--graphql--<option>}, see
 * CONFIG.md). The Hasura provider reads the same scope ({@link #SPI}, {@link #SCOPE}) and refuses to start when one of
 * these options is set under its own scope, so the two can never disagree.
 *
 * @param clientId           the configured client: tokenAuth without clientId and createUser log in at it
 * @param allowedClients     clients whose logins, tokens and sessions are accepted (always contains {@code clientId})
 * @param realms             realms that serve the endpoints; empty: every realm that has {@code clientId}
 * @param allowOfflineTokens whether tokenAuth may issue, and refreshToken refresh, offline tokens, and whether any
 *                           endpoint accepts an access token of an offline session ({@link BearerTokens#refusal})
 */
public record TrustBoundary(String clientId, Set<String> allowedClients, Set<String> realms, boolean allowOfflineTokens) {

    public static final String SPI = "realm-restapi-extension";
    /** The provider scope that holds these options (also for the Hasura provider). */
    public static final String SCOPE = "graphql";

    public static final String CLIENT_ID = "client-id";
    public static final String ALLOWED_CLIENTS = "allowed-clients";
    public static final String REALMS = "realms";
    public static final String ALLOW_OFFLINE_TOKENS = "allow-offline-tokens";
    public static final String DEFAULT_CLIENT_ID = "hasura-app";
    /** The options only the GraphQL scope may set. */
    public static final List<String> OPTIONS = List.of(ALLOWED_CLIENTS, REALMS, ALLOW_OFFLINE_TOKENS);
    /** The scope parameter value that asks Keycloak for an offline token. */
    public static final String OFFLINE_ACCESS = "offline_access";
    /** {@code typ} of Keycloak's offline refresh tokens. */
    public static final String OFFLINE_TYPE = "Offline";

    public TrustBoundary {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException(CLIENT_ID + " must not be empty");
        }
        clientId = clientId.trim();
        allowedClients = allowedClients == null || allowedClients.isEmpty() ? Set.of(clientId) : Set.copyOf(allowedClients);
        if (!allowedClients.contains(clientId)) {
            throw new IllegalArgumentException(ALLOWED_CLIENTS + " must include " + CLIENT_ID + " '" + clientId
                    + "' (tokenAuth and createUser log in there), not only " + String.join(",", sorted(allowedClients)));
        }
        realms = realms == null ? Set.of() : Set.copyOf(realms);
    }

    public static TrustBoundary defaults() {
        return from(key -> null);
    }

    /** Reads the options through {@code get} (the GraphQL provider's {@code Config.Scope::get}). */
    public static TrustBoundary from(Function<String, String> get) {
        OptionReader options = OptionReader.of(get);
        return new TrustBoundary(options.text(CLIENT_ID, DEFAULT_CLIENT_ID), new LinkedHashSet<>(options.entries(ALLOWED_CLIENTS)),
                new LinkedHashSet<>(options.entries(REALMS)), options.bool(ALLOW_OFFLINE_TOKENS, false));
    }

    /**
     * The boundary as the Hasura provider sees it: the GraphQL scope's options. Setting one of {@link #OPTIONS} under
     * the Hasura scope, or a Hasura {@code client-id} other than the GraphQL one, fails start-up: one setting, one place.
     */
    public static TrustBoundary forHasura(Function<String, String> hasuraScope, Function<String, String> graphqlScope) {
        for (String option : OPTIONS) {
            if (!blank(hasuraScope.apply(option))) {
                throw new IllegalArgumentException("Set " + option + " once, as --spi-" + SPI + "--" + SCOPE + "--" + option
                        + " (it governs the GraphQL endpoint and the Hasura helpers alike), not under the hasura provider");
            }
        }
        TrustBoundary trust = from(graphqlScope);
        String hasuraClient = hasuraScope.apply(CLIENT_ID);
        if (!blank(hasuraClient) && !hasuraClient.trim().equals(trust.clientId())) {
            throw new IllegalArgumentException("--spi-" + SPI + "--hasura--" + CLIENT_ID + "=" + hasuraClient.trim()
                    + " conflicts with --spi-" + SPI + "--" + SCOPE + "--" + CLIENT_ID + "=" + trust.clientId()
                    + ": set " + CLIENT_ID + " once, under " + SCOPE);
        }
        return trust;
    }

    public boolean allowsClient(String candidate) {
        return candidate != null && allowedClients.contains(candidate);
    }

    /** Whether the endpoints exist in {@code realm} (404 otherwise). */
    public boolean serves(RealmModel realm) {
        if (realm == null) {
            return false;
        }
        return realms.isEmpty() ? realm.getClientByClientId(clientId) != null : realms.contains(realm.getName());
    }

    /** Whether a space-separated OAuth scope parameter asks for an offline token. */
    public static boolean asksOffline(String scope) {
        return scope != null && Arrays.asList(scope.trim().split("\\s+")).contains(OFFLINE_ACCESS);
    }

    public List<String> sortedAllowedClients() {
        return sorted(allowedClients);
    }

    public List<String> sortedRealms() {
        return sorted(realms);
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
