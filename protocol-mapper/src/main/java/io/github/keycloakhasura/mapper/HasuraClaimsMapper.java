package io.github.keycloakhasura.mapper;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;
import org.keycloak.utils.RoleResolveUtil;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * "Hasura claims": writes Hasura's session variables ({@code x-hasura-allowed-roles}, {@code x-hasura-default-role},
 * {@code x-hasura-user-id}, more {@code x-hasura-*}) as one claim object, by default at
 * {@code https://hasura.io/jwt/claims}. Roles are the user's effective roles as Keycloak's own role mappers see them
 * ({@link RoleResolveUtil}); the rules themselves live in {@link HasuraClaims}.
 */
public class HasuraClaimsMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper, OIDCIDTokenMapper,
        UserInfoTokenMapper, TokenIntrospectionTokenMapper, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "hasura-claims-mapper";

    /**
     * No such key exists in Keycloak's message bundles, so the admin REST API shows our message itself (through
     * MessageFormat: messages therefore use double quotes, never single quotes or braces).
     */
    private static final String INVALID_CONFIG_MESSAGE_KEY = "hasuraClaimsMapperInvalidConfig";

    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = new ArrayList<>();

    static {
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.CLAIM_NAME, "Claims namespace",
                "Name of the claim holding Hasura's session variables. Written as one key: dots and slashes in it never "
                        + "create nested objects. Must match claims_namespace in HASURA_GRAPHQL_JWT_SECRET.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_NAMESPACE));
        ProviderConfigProperty format = property(HasuraMapperConfig.CLAIMS_FORMAT, "Claims format",
                "'json' writes the claims as an object; 'stringified_json' writes them as a JSON string. Must match "
                        + "claims_format in HASURA_GRAPHQL_JWT_SECRET.",
                ProviderConfigProperty.LIST_TYPE, HasuraMapperConfig.Format.JSON.value);
        format.setOptions(List.of(HasuraMapperConfig.Format.JSON.value, HasuraMapperConfig.Format.STRINGIFIED_JSON.value));
        CONFIG_PROPERTIES.add(format);
        ProviderConfigProperty source = property(HasuraMapperConfig.ROLES_SOURCE, "Roles source",
                "Which of the user's effective roles become Hasura roles: realm roles, client roles of the client named "
                        + "below, or both. Composite roles are expanded and the client's role scope applies, as for "
                        + "Keycloak's own role mappers. offline_access, uma_authorization and default-roles-* are never used.",
                ProviderConfigProperty.LIST_TYPE, HasuraMapperConfig.RolesSource.REALM.value);
        source.setOptions(List.of(HasuraMapperConfig.RolesSource.REALM.value, HasuraMapperConfig.RolesSource.CLIENT.value,
                HasuraMapperConfig.RolesSource.REALM_AND_CLIENT.value));
        CONFIG_PROPERTIES.add(source);
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.ROLES_CLIENT, "Client for client roles",
                "Client id whose client roles are used when the roles source includes client roles.",
                ProviderConfigProperty.STRING_TYPE, null));
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.ROLES_PREFIX, "Role prefix filter",
                "When set, only roles whose name starts with this prefix become Hasura roles (e.g. 'hasura-').",
                ProviderConfigProperty.STRING_TYPE, null));
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.ROLES_PREFIX_STRIP, "Strip role prefix",
                "Remove the prefix from role names ('hasura-editor' becomes 'editor').",
                ProviderConfigProperty.BOOLEAN_TYPE, "true"));
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.ROLES_ALLOWED, "Allowed roles",
                "Comma-separated allow-list of Hasura role names (after prefix stripping). Empty allows every role "
                        + "except Hasura's 'admin', which is only ever issued when listed here.",
                ProviderConfigProperty.STRING_TYPE, null));
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.FALLBACK_ROLE, "Fallback role",
                "The only allowed role, and the default role, of a user who has none of the roles above. "
                        + "'admin' only when the allowed roles list it.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_FALLBACK_ROLE));
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.ROLE_PRIORITY, "Default role priority",
                "Comma-separated roles, most privileged first (e.g. 'manager,user'): the first one the user has becomes "
                        + "x-hasura-default-role. Also orders x-hasura-allowed-roles.",
                ProviderConfigProperty.STRING_TYPE, null));
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE, "Default role attribute",
                "User attribute that overrides the default role when it names one of the user's allowed roles.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE_NAME));
        ProviderConfigProperty userId = property(HasuraMapperConfig.USER_ID_SOURCE, "User id source",
                "What becomes x-hasura-user-id: Keycloak's user id (the token's sub), the username, or a user attribute.",
                ProviderConfigProperty.LIST_TYPE, HasuraMapperConfig.UserIdSource.ID.value);
        userId.setOptions(List.of(HasuraMapperConfig.UserIdSource.ID.value, HasuraMapperConfig.UserIdSource.USERNAME.value,
                HasuraMapperConfig.UserIdSource.ATTRIBUTE.value));
        CONFIG_PROPERTIES.add(userId);
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.USER_ID_ATTRIBUTE, "User id attribute",
                "User attribute used as x-hasura-user-id when the user id source is 'attribute'.",
                ProviderConfigProperty.STRING_TYPE, null));
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.SESSION_VARIABLES, "Session variables from attributes",
                "Comma-separated user attributes exported as session variables: 'org_id' gives x-hasura-org_id, "
                        + "'org_id:org-id' gives x-hasura-org-id, 'teams[]:teams' always writes a Postgres array literal. "
                        + "Attributes with several values are written as Postgres array literals ({a,b}).",
                ProviderConfigProperty.STRING_TYPE, null));
        CONFIG_PROPERTIES.add(property(HasuraMapperConfig.GROUPS_VARIABLE, "Groups session variable",
                "When set (e.g. 'groups'), the user's group paths are written as x-hasura-<name> = {/a,/a/b}.",
                ProviderConfigProperty.STRING_TYPE, null));
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(CONFIG_PROPERTIES, HasuraClaimsMapper.class);
    }

    private static ProviderConfigProperty property(String name, String label, String help, String type, String defaultValue) {
        ProviderConfigProperty p = new ProviderConfigProperty();
        p.setName(name);
        p.setLabel(label);
        p.setHelpText(help);
        p.setType(type);
        p.setDefaultValue(defaultValue);
        return p;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    /** Refuses to start on a Keycloak release outside the supported range (see {@link SupportedKeycloak}). */
    @Override
    public void init(org.keycloak.Config.Scope config) {
        SupportedKeycloak.require();
    }

    @Override
    public String getDisplayType() {
        return "Hasura claims";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds Hasura's session variables (x-hasura-allowed-roles, x-hasura-default-role, x-hasura-user-id and "
                + "more x-hasura-*) from the user's roles and attributes, as Hasura's JWT mode expects.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG_PROPERTIES;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel client,
                               ProtocolMapperModel mapperModel) throws ProtocolMapperConfigException {
        HasuraMapperConfig config;
        try {
            config = HasuraMapperConfig.parse(mapperModel.getConfig());
            config.checkReservedRoles();
        } catch (InvalidMapperConfigException e) {
            throw new ProtocolMapperConfigException(messageFormatSafe(e.getMessage()), INVALID_CONFIG_MESSAGE_KEY);
        }
        if (config.rolesSource().includesClient() && realm.getClientByClientId(config.rolesClientId()) == null) {
            throw new ProtocolMapperConfigException(messageFormatSafe("Client \"" + config.rolesClientId()
                    + "\" (for client roles) does not exist in realm \"" + realm.getName() + "\"."), INVALID_CONFIG_MESSAGE_KEY);
        }
    }

    /** Admin values may contain quotes or braces, which MessageFormat would eat or choke on. */
    static String messageFormatSafe(String message) {
        return message.replace("'", "''").replace("{", "'{'").replace("}", "'}'");
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession keycloakSession, ClientSessionContext clientSessionCtx) {
        HasuraMapperConfig config = HasuraMapperConfig.cached(mappingModel.getConfig());
        Map<String, Object> claims = claimsFor(config, keycloakSession, userSession.getUser(), clientSessionCtx);
        if (claims.isEmpty()) {
            return; // no role may be issued (a stored fallback "admin" that is not allowed): Hasura refuses the token
        }
        // Written as one key on purpose: OIDCAttributeMapperHelper.mapClaim would split the namespace on its dots.
        token.getOtherClaims().put(config.namespace(), HasuraClaims.render(config, claims));
    }

    /**
     * The claim object this mapper writes for {@code user} in {@code clientSessionCtx}: roles resolved by Keycloak
     * ({@link RoleResolveUtil}: composites expanded, client scope applied), attributes and groups read from the user.
     * Also used by the Hasura auth webhook, so both give the same session variables. Empty when the user has no role
     * that may be issued ({@link HasuraClaims#compute}).
     */
    public static Map<String, Object> claimsFor(HasuraMapperConfig config, KeycloakSession session, UserModel user,
                                                ClientSessionContext clientSessionCtx) {
        Set<String> realmRoles = Collections.emptySet();
        Set<String> clientRoles = Collections.emptySet();
        if (config.rolesSource().includesRealm()) {
            realmRoles = roles(RoleResolveUtil.getResolvedRealmRoles(session, clientSessionCtx, false));
        }
        if (config.rolesSource().includesClient()) {
            clientRoles = roles(RoleResolveUtil.getResolvedClientRoles(session, clientSessionCtx, config.rolesClientId(), false));
        }
        List<String> groupPaths = config.groupsVariable() == null ? List.of()
                : user.getGroupsStream().map(KeycloakModelUtils::buildGroupPath).collect(Collectors.toList());
        HasuraClaims.Subject subject = new HasuraClaims.Subject(user.getId(), user.getUsername(), user.getAttributes(),
                realmRoles, clientRoles, groupPaths);
        return HasuraClaims.compute(config, subject);
    }

    private static Set<String> roles(AccessToken.Access access) {
        return access == null || access.getRoles() == null ? Collections.emptySet() : access.getRoles();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return Map.of("version", Version.get());
    }
}
