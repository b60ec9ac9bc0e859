package io.github.keycloakhasura.mapper;

import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessToken;
import org.keycloak.utils.RoleResolveUtil;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 *   token's session; {@link RoleResolveUtil}, as Keycloak's own role mappers): composites and groups expanded, the
 *   client's role scope and the token's client scopes applied;</li>
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

    /**
     * Every user attribute a Hasura claims mapper of {@code realm} reads (on any client or client scope, enabled or
     * not, default or optional): the attributes that become session variables, the user id or the default role; for
     * a mapper whose stored options do not parse, every attribute they name ({@link HasuraMapperConfig#userAttributesNamedIn}).
     */
    public static Set<String> attributesReadIn(RealmModel realm) {
        Set<String> names = new LinkedHashSet<>();
        Stream.concat(realm.getClientsStream().flatMap(ClientModel::getProtocolMappersStream),
                        realm.getClientScopesStream().flatMap(ClientScopeModel::getProtocolMappersStream))
                .filter(m -> HasuraClaimsMapper.PROVIDER_ID.equals(m.getProtocolMapper()))
                .forEach(m -> names.addAll(HasuraMapperConfig.userAttributesNamedIn(m.getConfig())));
        return names;
    }

    /**
     * The claim object for {@code user} in a client session; empty when no role may be issued. With a claims query
     * ({@link ClaimsQueryOptions}), its values too (cached per user for its TTL).
     *
     * @throws ClaimsUnavailableException when the claims query failed and its policy is {@code closed} The roles are the ones
     * Keycloak resolved for that session ({@link RoleResolveUtil}), cached per request and shared with Keycloak's own
     * realm- and client-role mappers, so issuing a token resolves them once for all mappers.
     */
    public static Map<String, Object> forClientSession(HasuraMapperConfig config, KeycloakSession session, UserModel user,
                                                       ClientSessionContext context) {
        return forClientSession(config, session, user, context, config.organizations() ? context.getScopeString() : null, null);
    }

    /**
     * As {@link #forClientSession(HasuraMapperConfig, KeycloakSession, UserModel, ClientSessionContext)}, with the
     * token's scope (its {@code organization:<alias>} entries pick the active organization) and an organization id
     * asked for explicitly (the webhook's {@code X-Hasura-Org-Id}, or null): the active organization is then that one
     * if the user is a member now, else there is none ({@link OrganizationTenancy}).
     */
    public static Map<String, Object> forClientSession(HasuraMapperConfig config, KeycloakSession session, UserModel user,
                                                       ClientSessionContext context, String scope, String requestedOrganizationId) {
        return forClientSession(config, session, user, context, scope, requestedOrganizationId, null);
    }

    /**
     * As {@link #forClientSession(HasuraMapperConfig, KeycloakSession, UserModel, ClientSessionContext, String, String)},
     * for a token issued at {@code issuedAt} (epoch seconds; null: unknown): when it was issued within the
     * {@link HasuraMapperConfig#elevationWindow() elevation window} of the client session's step-up proof
     * ({@link Elevation}), the claims carry {@link HasuraReservedNames#AUTH_ELEVATED} = the Hasura user id. The token
     * being issued, the webhook and whoami each pass the issue time of their token, so they agree.
     */
    public static Map<String, Object> forClientSession(HasuraMapperConfig config, KeycloakSession session, UserModel user,
                                                       ClientSessionContext context, String scope, String requestedOrganizationId,
                                                       Long issuedAt) {
        Collection<String> realmRoles = config.rolesSource().includesRealm()
                ? names(RoleResolveUtil.getResolvedRealmRoles(session, context, false)) : List.of();
        Collection<String> clientRoles = config.rolesSource().includesClient()
                ? names(RoleResolveUtil.getResolvedClientRoles(session, context, config.rolesClientId(), false)) : List.of();
        HasuraClaims.Tenancy tenancy = config.organizations()
                ? OrganizationMemberships.tenancy(session, user, context.getClientSession(), scope, requestedOrganizationId)
                : HasuraClaims.Tenancy.NONE;
        Map<String, Object> claims = compute(config, user, realmRoles, clientRoles, tenancy);
        if (claims.isEmpty()) {
            return claims;
        }
        if (config.claimsQuery().enabled()) {
            // The app's data, only for claims that will be issued (no role, no query), never a reserved name.
            claims = HasuraClaims.withAppData(config, claims, HasuraClaimsMapper.claimsQueries(session).values(session,
                    context.getClientSession() != null ? context.getClientSession().getRealm() : session.getContext().getRealm(),
                    user, config.claimsQuery()));
        }
        if (context.getClientSession() == null) {
            return claims;
        }
        String limit = context.getClientSession().getNote(RoleLimit.NOTE);
        if (limit != null) {
            // A personal access token's session: its roles only, never elevated.
            return RoleLimit.apply(config, claims, RoleLimit.parse(limit), user.getAttributes());
        }
        if (Elevation.applies(context.getClientSession().getNote(Elevation.NOTE), issuedAt, config.elevationWindow())) {
            Object hasuraUserId = claims.get(HasuraMapperConfig.USER_ID);
            claims.put(HasuraReservedNames.AUTH_ELEVATED, hasuraUserId != null ? hasuraUserId : user.getId());
        }
        return claims;
    }

    /**
     * The claims of a token being issued ({@link #forClientSession}); when the token asked for one organization
     * ({@code organization:<alias>}, a login to it or {@code switchOrganization}) and it is active, the client session
     * remembers it in Keycloak's own note {@code kc.org}, so the session's next refresh keeps it.
     */
    public static Map<String, Object> forIssuedToken(HasuraMapperConfig config, KeycloakSession session, UserModel user,
                                                     ClientSessionContext context, Long issuedAt) {
        String scope = config.organizations() ? context.getScopeString() : null;
        Map<String, Object> claims = forClientSession(config, session, user, context, scope, null, issuedAt);
        if (config.organizations() && !OrganizationTenancy.requestedAliases(scope).isEmpty()) {
            OrganizationMemberships.remember(context.getClientSession(), (String) claims.get(HasuraMapperConfig.ORG_ID));
        }
        return claims;
    }

    /**
     * The claim object for {@code user} as a token of {@code client} with its default client scopes would carry it
     * (what {@code DefaultClientSessionContext} resolves for such a token); empty when no role may be issued. Without
     * the claims query's values: this serves roles ({@code profile { role }} of any user, page after page), which the
     * app's data never decides, and runs no query per listed user.
     */
    public static Map<String, Object> forClient(HasuraMapperConfig config, UserModel user, ClientModel client) {
        return forClient(config, null, user, client);
    }

    /**
     * As {@link #forClient(HasuraMapperConfig, UserModel, ClientModel)}; with {@code session}, the organization
     * variables too (no session to remember one: the active organization is the user's only one, if so).
     */
    public static Map<String, Object> forClient(HasuraMapperConfig config, KeycloakSession session, UserModel user,
                                                ClientModel client) {
        List<String> realmRoles = new ArrayList<>();
        List<String> clientRoles = new ArrayList<>();
        for (RoleModel role : TokenManager.getAccess(user, client, defaultScopes(client))) {
            if (!role.isClientRole()) {
                realmRoles.add(role.getName());
            } else if (role.getContainer() instanceof ClientModel owner && owner.getClientId().equals(config.rolesClientId())) {
                clientRoles.add(role.getName());
            }
        }
        HasuraClaims.Tenancy tenancy = config.organizations() && session != null
                ? OrganizationMemberships.tenancy(session, user, null, null, null) : HasuraClaims.Tenancy.NONE;
        return compute(config, user, realmRoles, clientRoles, tenancy);
    }

    /**
     * The claim object for a personal access token of {@code user} for {@code client} (the Hasura webhook's bearer
     * personal access token): {@link #forClient} limited to {@code roles} ({@link RoleLimit}), as a token made from
     * it carries them; never elevated.
     */
    public static Map<String, Object> forPersonalAccessToken(HasuraMapperConfig config, KeycloakSession session, UserModel user,
                                                             ClientModel client, Collection<String> roles) {
        Map<String, Object> claims = forClient(config, session, user, client);
        return claims.isEmpty() ? claims : RoleLimit.apply(config, claims, Set.copyOf(roles), user.getAttributes());
    }

    /** The claims from the names of the realm roles, and of the client roles of the mapper's roles client, the client may see. */
    private static Map<String, Object> compute(HasuraMapperConfig config, UserModel user, Collection<String> realmRoles,
                                               Collection<String> clientRoles, HasuraClaims.Tenancy tenancy) {
        List<String> groupPaths = config.groupsVariable() == null ? List.of()
                : user.getGroupsStream().map(KeycloakModelUtils::buildGroupPath).collect(Collectors.toList());
        return HasuraClaims.compute(config, new HasuraClaims.Subject(user.getId(), user.getUsername(), user.getAttributes(),
                realmRoles, clientRoles, groupPaths, tenancy));
    }

    private static Collection<String> names(AccessToken.Access access) {
        return access == null || access.getRoles() == null ? List.of() : access.getRoles();
    }

    /** The client itself and its default client scopes, as Keycloak gathers them for a token without a scope parameter. */
    private static Stream<ClientScopeModel> defaultScopes(ClientModel client) {
        return Stream.concat(Stream.of(client), client.getClientScopes(true).values().stream());
    }

    /**
     * The one Hasura mapper among {@code mappers}, parsed. Two (possible only through an import or by adding a client
     * scope: the admin console refuses to save a second, {@link OneHasuraMapper}) would disagree, the token taking the
     * last applied and everything else the first found: so they are an invalid configuration, never a guess.
     */
    private static Optional<HasuraMapperConfig> parse(Stream<ProtocolMapperModel> mappers) {
        List<ProtocolMapperModel> found = OneHasuraMapper.hasuraMappers(mappers).toList();
        if (found.size() > 1) {
            throw OneHasuraMapper.moreThanOne(found);
        }
        return found.stream().findFirst().map(m -> HasuraMapperConfig.parse(m.getConfig()));
    }
}
