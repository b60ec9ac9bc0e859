package io.github.keycloakhasura.mapper;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.TokenManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one computation of a user's Hasura session variables for a client, used by the mapper (tokens), the Hasura
 * auth webhook, and the GraphQL endpoint ({@code whoami}, {@code profile { role }}); and the one lookup of a client's
 * Hasura claims mapper. The rules are {@link HasuraClaims#compute}'s; this class only gathers their inputs from
 * Keycloak: the user's attributes and groups, and the roles the client may see. The two entry points differ only in
 * where those roles come from:
 * <ul>
 *   <li>{@link #forClientSession}: the roles Keycloak resolved for a client session (a token being issued, or a live
 *   token's session): composites and groups expanded, the client's role scope and the token's client scopes applied;</li>
 *   <li>{@link #forClient}: the roles a token of the client with its default client scopes would carry, computed as
 *   Keycloak computes them for such a token ({@link TokenManager#getAccess}), for a user without a session.</li>
 * </ul>
 */
public final class HasuraSessionVariables {

    private HasuraSessionVariables() {
    }

    /**
     * The mappers a token of {@code client} gets without optional scopes: the client's own, then those of its default
     * client scopes.
     */
    public static Stream<ProtocolMapperModel> mappers(ClientModel client) {
        return defaultScopes(client).flatMap(ClientScopeModel::getProtocolMappersStream);
    }

    /**
     * The options of {@code client}'s Hasura claims mapper (its own, else one of its default client scopes'); empty when
     * it has none.
     *
     * @throws InvalidMapperConfigException when the stored options make no sense
     */
    public static Optional<HasuraMapperConfig> config(ClientModel client) {
        return parse(mappers(client));
    }

    /**
     * The options of the Hasura claims mapper Keycloak applies in {@code context} (the client's and the token's client
     * scopes' enabled mappers); empty when there is none.
     *
     * @throws InvalidMapperConfigException when the stored options make no sense
     */
    public static Optional<HasuraMapperConfig> config(ClientSessionContext context) {
        return parse(context.getProtocolMappersStream());
    }

    /** The claim object for {@code user} in a client session; empty when no role may be issued. */
    public static Map<String, Object> forClientSession(HasuraMapperConfig config, UserModel user, ClientSessionContext context) {
        return compute(config, user, context.getRolesStream());
    }

    /**
     * The claim object for {@code user} as a token of {@code client} with its default client scopes would carry it
     * (what {@code DefaultClientSessionContext} resolves for such a token); empty when no role may be issued.
     */
    public static Map<String, Object> forClient(HasuraMapperConfig config, UserModel user, ClientModel client) {
        return compute(config, user, TokenManager.getAccess(user, client, defaultScopes(client)).stream());
    }

    /** The claims from the roles the client may see, split as Keycloak's role claims are (realm, client by client id). */
    private static Map<String, Object> compute(HasuraMapperConfig config, UserModel user, Stream<RoleModel> visibleRoles) {
        List<String> realmRoles = new ArrayList<>();
        List<String> clientRoles = new ArrayList<>();
        visibleRoles.forEach(role -> {
            if (!role.isClientRole()) {
                realmRoles.add(role.getName());
            } else if (role.getContainer() instanceof ClientModel owner && owner.getClientId().equals(config.rolesClientId())) {
                clientRoles.add(role.getName());
            }
        });
        List<String> groupPaths = config.groupsVariable() == null ? List.of()
                : user.getGroupsStream().map(KeycloakModelUtils::buildGroupPath).collect(Collectors.toList());
        return HasuraClaims.compute(config, new HasuraClaims.Subject(user.getId(), user.getUsername(), user.getAttributes(),
                realmRoles, clientRoles, groupPaths));
    }

    /** The client itself and its default client scopes, as Keycloak gathers them for a token without a scope parameter. */
    private static Stream<ClientScopeModel> defaultScopes(ClientModel client) {
        return Stream.concat(Stream.of(client), client.getClientScopes(true).values().stream());
    }

    private static Optional<HasuraMapperConfig> parse(Stream<ProtocolMapperModel> mappers) {
        return mappers.filter(m -> HasuraClaimsMapper.PROVIDER_ID.equals(m.getProtocolMapper()))
                .findFirst()
                .map(m -> HasuraMapperConfig.parse(m.getConfig()));
    }
}
