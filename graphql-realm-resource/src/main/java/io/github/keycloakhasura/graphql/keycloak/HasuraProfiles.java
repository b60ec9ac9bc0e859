package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.mapper.Elevation;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.mapper.HasuraSessionVariables;
import io.github.keycloakhasura.mapper.InvalidMapperConfigException;
import io.github.keycloakhasura.trust.BearerTokens;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Hasura session variables the GraphQL endpoint shows ({@code User.hasura}, {@code profile { role }}), computed
 * by {@link HasuraSessionVariables}, the mapper's own computation, so they agree with the tokens and the webhook
 * (one instance per request).
 */
final class HasuraProfiles {

    private final KeycloakSession session;
    private final String configuredClientId;
    private final UserDirectory directory;
    /** Hasura mapper options by client id, looked up once per request (empty: the client has no Hasura mapper). */
    private final Map<String, Optional<HasuraMapperConfig>> configs = new HashMap<>();
    /** The caller's session variables, once per request (null: not yet; empty: none). */
    private Optional<Map<String, Object>> callerVariables;

    HasuraProfiles(KeycloakSession session, String configuredClientId, UserDirectory directory) {
        this.session = session;
        this.configuredClientId = configuredClientId;
        this.directory = directory;
    }

    /**
     * The caller's session variables: the Hasura claims of the token Keycloak has just verified (the mapper computed
     * them with {@link HasuraSessionVariables} for this client session when it issued the token, and Hasura's JWT mode
     * reads exactly these); computed for the token's client session, as the webhook does, when the token carries none
     * (no Hasura mapper, no role that may be issued, or a stored config that makes no sense: INVALID_MAPPER_CONFIG).
     * Null when there are none. Reading them from the token keeps {@code whoami} as cheap as {@code /userinfo}.
     */
    Map<String, Object> sessionVariables(BearerCaller caller) {
        if (callerVariables == null) {
            callerVariables = Optional.ofNullable(computeSessionVariables(caller));
        }
        return callerVariables.orElse(null);
    }

    private Map<String, Object> computeSessionVariables(BearerCaller caller) {
        Map<String, Object> issued = TokenClaims.hasura(caller.token().getOtherClaims());
        if (issued != null) {
            return issued;
        }
        ClientSessionContext context = BearerTokens.clientSessionContext(session, caller.userSession(), caller.client(),
                caller.token());
        if (context == null) {
            return null; // the client session has ended meanwhile
        }
        Optional<HasuraMapperConfig> config = config(caller.client(), () -> HasuraSessionVariables.config(context));
        return config.map(c -> HasuraSessionVariables.forClientSession(c, session, caller.user(), context,
                        c.organizations() ? context.getScopeString() : null, null,
                        Elevation.issuedAtIfIssuedElevated(caller.token().getOtherClaims().get(c.namespace()), caller.token().getIat())))
                .filter(claims -> !claims.isEmpty())
                .orElse(null);
    }

    /**
     * A user's default Hasura role for the client of {@code caller}'s token, or for the configured client without a
     * caller: the caller's own from its session variables, anyone else's as a token of that client with its default
     * client scopes would carry it. Null when the client has no Hasura mapper or no role may be issued.
     */
    String role(BearerCaller caller, String userId) {
        if (caller != null && caller.userId().equals(userId)) {
            return TokenClaims.defaultRoleOf(sessionVariables(caller));
        }
        ClientModel client = caller != null ? caller.client()
                : session.getContext().getRealm().getClientByClientId(configuredClientId);
        if (client == null) {
            return null;
        }
        Optional<HasuraMapperConfig> config = configs.computeIfAbsent(client.getClientId(),
                id -> config(client, () -> HasuraSessionVariables.config(client)));
        UserModel user = config.isEmpty() ? null : directory.cachedUser(userId);
        return user == null ? null : TokenClaims.defaultRoleOf(HasuraSessionVariables.forClient(config.get(), user, client));
    }

    private static Optional<HasuraMapperConfig> config(ClientModel client, Supplier<Optional<HasuraMapperConfig>> lookup) {
        try {
            return lookup.get();
        } catch (InvalidMapperConfigException e) {
            throw new GraphqlException(ErrorCode.INVALID_MAPPER_CONFIG, "The Hasura claims mapper of client '"
                    + client.getClientId() + "' has invalid options, so no Hasura role can be computed: " + e.getMessage());
        }
    }

}
