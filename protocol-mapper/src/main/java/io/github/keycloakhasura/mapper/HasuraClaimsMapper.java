package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.mapper.compat.OrganizationGroups;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "Hasura claims": writes Hasura's session variables ({@code x-hasura-allowed-roles}, {@code x-hasura-default-role},
 * {@code x-hasura-user-id}, more {@code x-hasura-*}) as one claim object, by default at
 * {@code https://hasura.io/jwt/claims}. SPI glue only: the session variables are computed by
 * {@link HasuraSessionVariables} (roles as Keycloak's own role mappers see them), the rules live in {@link HasuraClaims}.
 */
public class HasuraClaimsMapper extends AbstractOIDCProtocolMapper implements OIDCAccessTokenMapper, OIDCIDTokenMapper,
        UserInfoTokenMapper, TokenIntrospectionTokenMapper, ServerInfoAwareProviderFactory {

    public static final String PROVIDER_ID = "hasura-claims-mapper";

    private static final Logger LOG = Logger.getLogger(HasuraClaimsMapper.class);

    /**
     * No such key exists in Keycloak's message bundles, so the admin REST API shows our message itself (through
     * MessageFormat: messages therefore use double quotes, never single quotes or braces).
     */
    private static final String INVALID_CONFIG_MESSAGE_KEY = "hasuraClaimsMapperInvalidConfig";

    /** Built once, never changed (no mutable static state). */
    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = configProperties();

    private static List<ProviderConfigProperty> configProperties() {
        List<ProviderConfigProperty> properties = new ArrayList<>();
        properties.add(property(HasuraMapperConfig.CLAIM_NAME, "Claims namespace",
                "Name of the claim holding Hasura's session variables. Written as one key: dots and slashes in it never "
                        + "create nested objects. Must match claims_namespace in HASURA_GRAPHQL_JWT_SECRET.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_NAMESPACE));
        ProviderConfigProperty format = property(HasuraMapperConfig.CLAIMS_FORMAT, "Claims format",
                "'json' writes the claims as an object; 'stringified_json' writes them as a JSON string. Must match "
                        + "claims_format in HASURA_GRAPHQL_JWT_SECRET.",
                ProviderConfigProperty.LIST_TYPE, HasuraMapperConfig.Format.JSON.value);
        format.setOptions(List.of(HasuraMapperConfig.Format.JSON.value, HasuraMapperConfig.Format.STRINGIFIED_JSON.value));
        properties.add(format);
        ProviderConfigProperty source = property(HasuraMapperConfig.ROLES_SOURCE, "Roles source",
                "Which of the user's effective roles become Hasura roles: realm roles, client roles of the client named "
                        + "below, or both. Composite roles are expanded and the client's role scope applies, as for "
                        + "Keycloak's own role mappers. offline_access, uma_authorization and default-roles-* are never used.",
                ProviderConfigProperty.LIST_TYPE, HasuraMapperConfig.RolesSource.REALM.value);
        source.setOptions(List.of(HasuraMapperConfig.RolesSource.REALM.value, HasuraMapperConfig.RolesSource.CLIENT.value,
                HasuraMapperConfig.RolesSource.REALM_AND_CLIENT.value));
        properties.add(source);
        properties.add(property(HasuraMapperConfig.ROLES_CLIENT, "Client for client roles",
                "Client id whose client roles are used when the roles source includes client roles.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.ROLES_PREFIX, "Role prefix filter",
                "When set, only roles whose name starts with this prefix become Hasura roles (e.g. 'hasura-').",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.ROLES_PREFIX_STRIP, "Strip role prefix",
                "Remove the prefix from role names ('hasura-editor' becomes 'editor').",
                ProviderConfigProperty.BOOLEAN_TYPE, "true"));
        properties.add(property(HasuraMapperConfig.ROLES_ALLOWED, "Allowed roles",
                "Comma-separated allow-list of Hasura role names (after prefix stripping). Empty allows every role "
                        + "except Hasura's 'admin', which is only ever issued when listed here.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.FALLBACK_ROLE, "Fallback role",
                "The only allowed role, and the default role, of a user who has none of the roles above. "
                        + "'admin' only when the allowed roles list it.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_FALLBACK_ROLE));
        properties.add(property(HasuraMapperConfig.ROLE_PRIORITY, "Default role priority",
                "Comma-separated roles, most privileged first (e.g. 'manager,user'): the first one the user has becomes "
                        + "x-hasura-default-role. Also orders x-hasura-allowed-roles.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE, "Default role attribute",
                "User attribute that overrides the default role when it names one of the user's allowed roles.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE_NAME));
        ProviderConfigProperty userId = property(HasuraMapperConfig.USER_ID_SOURCE, "User id source",
                "What becomes x-hasura-user-id: Keycloak's user id (the token's sub), the username, or a user attribute.",
                ProviderConfigProperty.LIST_TYPE, HasuraMapperConfig.UserIdSource.ID.value);
        userId.setOptions(List.of(HasuraMapperConfig.UserIdSource.ID.value, HasuraMapperConfig.UserIdSource.USERNAME.value,
                HasuraMapperConfig.UserIdSource.ATTRIBUTE.value));
        properties.add(userId);
        properties.add(property(HasuraMapperConfig.USER_ID_ATTRIBUTE, "User id attribute",
                "User attribute used as x-hasura-user-id when the user id source is 'attribute'.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.SESSION_VARIABLES, "Session variables from attributes",
                "Comma-separated user attributes exported as session variables: 'org_id' gives x-hasura-org_id, "
                        + "'org_id:org-id' gives x-hasura-org-id, 'teams[]:teams' always writes a Postgres array literal. "
                        + "Attributes with several values are written as Postgres array literals ({a,b}).",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.GROUPS_VARIABLE, "Groups session variable",
                "When set (e.g. 'groups'), the user's group paths are written as x-hasura-<name> = {/a,/a/b}.",
                ProviderConfigProperty.STRING_TYPE, null));
        properties.add(property(HasuraMapperConfig.ORGANIZATIONS, "Organizations",
                "Writes Keycloak organizations as Hasura tenancy: x-hasura-org-id (the token's active organization: the "
                        + "one logged in or switched to, else the user's only one; absent otherwise) and x-hasura-org-ids "
                        + "(every organization of the user, {id1,id2}). Needs Organizations enabled in the realm.",
                ProviderConfigProperty.BOOLEAN_TYPE, "false"));
        properties.add(property(HasuraMapperConfig.ORGANIZATION_GROUP_ROLES, "Organization group roles",
                "Comma-separated group:role entries (e.g. 'admins:org_admin'): members of that group of the ACTIVE "
                        + "organization get the Hasura role in x-hasura-allowed-roles; a group of another organization "
                        + "never counts, and 'admin' is never given. "
                        + (OrganizationGroups.supported() ? "Organization groups exist since Keycloak 26.6."
                        : "This Keycloak release has no organization groups (they exist since 26.6): this option has no "
                        + "effect here."),
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_ORGANIZATION_GROUP_ROLES));
        properties.add(property(HasuraMapperConfig.ORGANIZATION_ADMIN_ROLE, "Organization admin role",
                "The organization role (from the group roles above) whose holders may list, invite and remove that "
                        + "organization's members through the GraphQL endpoint. Never 'admin'.",
                ProviderConfigProperty.STRING_TYPE, HasuraMapperConfig.DEFAULT_ORGANIZATION_ADMIN_ROLE));
        properties.add(property(HasuraMapperConfig.ELEVATION_WINDOW, "Elevation window (seconds)",
                "Tokens issued within this many seconds after a step-up proof (GraphQL elevate: password, OTP or passkey) "
                        + "carry x-hasura-auth-elevated = the user id; later refreshes drop it. 0 turns it off.",
                ProviderConfigProperty.STRING_TYPE, String.valueOf(Elevation.DEFAULT_WINDOW_SECONDS)));
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(properties, HasuraClaimsMapper.class);
        // A new mapper stays out of ID tokens: an ID token with Hasura's claims opens Hasura when jwt-config has no
        // audience (Keycloak's helper offers "on" for every mapper).
        properties.stream().filter(p -> OIDCAttributeMapperHelper.INCLUDE_IN_ID_TOKEN.equals(p.getName()))
                .forEach(p -> p.setDefaultValue("false"));
        return List.copyOf(properties);
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
            OneHasuraMapper.checkSaving(realm, client, mapperModel);
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

    /**
     * Writes the claims {@link HasuraSessionVariables#forClientSession} computes. Writes none when no role may be
     * issued (a stored fallback "admin" that is not allowed) or when the stored options make no sense (an imported
     * realm: the admin console refuses to save them), also when the client session applies a second Hasura mapper:
     * Hasura then refuses the token, and the token endpoint does not fail for the other clients' and mappers' sake.
     */
    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                            KeycloakSession keycloakSession, ClientSessionContext clientSessionCtx) {
        write(token, mappingModel, userSession, keycloakSession, clientSessionCtx, true);
    }

    /**
     * /userinfo and introspection answer about an existing token: the claims as for a token, but the client session's
     * active organization is left as it is (an old token shown there must not switch the session back).
     */
    @Override
    public AccessToken transformUserInfoToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
                                              UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        if (OIDCAttributeMapperHelper.includeInUserInfo(mappingModel)) {
            write(token, mappingModel, userSession, session, clientSessionCtx, false);
        }
        return token;
    }

    @Override
    public AccessToken transformIntrospectionToken(AccessToken token, ProtocolMapperModel mappingModel, KeycloakSession session,
                                                   UserSessionModel userSession, ClientSessionContext clientSessionCtx) {
        if (OIDCAttributeMapperHelper.includeInIntrospection(mappingModel)) {
            write(token, mappingModel, userSession, session, clientSessionCtx, false);
        }
        return token;
    }

    private void write(IDToken token, ProtocolMapperModel mappingModel, UserSessionModel userSession,
                       KeycloakSession keycloakSession, ClientSessionContext clientSessionCtx, boolean issuing) {
        HasuraMapperConfig config;
        try {
            // The one Hasura mapper this client session applies (two are refused, as the webhook and whoami do).
            config = HasuraSessionVariables.config(clientSessionCtx).orElseGet(() -> HasuraMapperConfig.parse(mappingModel.getConfig()));
        } catch (InvalidMapperConfigException e) {
            LOG.warnf("Hasura claims mapper '%s' has invalid options, no Hasura claims issued: %s", mappingModel.getName(),
                    e.getMessage());
            return;
        }
        // Elevation is judged by the token's own issue time (none: never elevated); an existing token (userinfo,
        // introspection) only when Keycloak issued it elevated, as the webhook and whoami judge the token they see.
        Long issuedAt = issuing ? token.getIat()
                : Elevation.issuedAtIfIssuedElevated(token.getOtherClaims().get(config.namespace()), token.getIat());
        Map<String, Object> claims = issuing
                ? HasuraSessionVariables.forIssuedToken(config, keycloakSession, userSession.getUser(), clientSessionCtx, issuedAt)
                : HasuraSessionVariables.forClientSession(config, keycloakSession, userSession.getUser(), clientSessionCtx,
                        config.organizations() ? clientSessionCtx.getScopeString() : null, null, issuedAt);
        if (claims.isEmpty()) {
            return;
        }
        // Written as one key on purpose: OIDCAttributeMapperHelper.mapClaim would split the namespace on its dots.
        token.getOtherClaims().put(config.namespace(), HasuraClaims.render(config, claims));
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        return Map.of("version", Version.get());
    }
}
