package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.HasuraVariables;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.mapper.HasuraSessionVariables;
import io.github.keycloakhasura.mapper.InvalidMapperConfigException;
import io.github.keycloakhasura.variables.LiveSessionVariables;
import io.github.keycloakhasura.variables.SessionVariables;
import org.keycloak.models.ClientModel;
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
    /** The caller's session variables, once per request (null: not yet). */
    private SessionVariables callerVariables;

    HasuraProfiles(KeycloakSession session, String configuredClientId, UserDirectory directory) {
        this.session = session;
        this.configuredClientId = configuredClientId;
        this.directory = directory;
    }

    /**
     * The caller's session variables: the Hasura claims of the token Keycloak has just verified (the mapper computed
     * them with {@link HasuraSessionVariables} for this client session when it issued the token, and Hasura's JWT mode
     * reads exactly these); when the token carries none (no Hasura mapper, no role that may be issued, or a stored
     * config that makes no sense), what {@link LiveSessionVariables} finds for the token now, as the webhook does.
     * Reading them from the token keeps {@code whoami} as cheap as {@code /userinfo}.
     */
    SessionVariables sessionVariables(BearerCaller caller) {
        if (callerVariables == null) {
            Map<String, Object> issued = TokenClaims.hasura(caller.token().getOtherClaims());
            callerVariables = issued != null ? new SessionVariables.Variables(issued)
                    : LiveSessionVariables.of(session, caller.user(), caller.userSession(), caller.client(), caller.token(), null);
        }
        return callerVariables;
    }

    /**
     * A user's default Hasura role for the client of {@code caller}'s token, or for the configured client without a
     * caller: the caller's own from its session variables, anyone else's as a token of that client with its default
     * client scopes would carry it. Null when the client has no Hasura mapper or no role may be issued.
     */
    String role(BearerCaller caller, String userId) {
        if (caller != null && caller.userId().equals(userId)) {
            return TokenClaims.defaultRoleOf(HasuraVariables.claimsOrNull(sessionVariables(caller)));
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
            throw new GraphqlException(ErrorCode.INVALID_MAPPER_CONFIG,
                    HasuraVariables.invalidConfigMessage(client.getClientId(), e.getMessage()));
        }
    }

}
