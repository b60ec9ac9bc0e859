package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.options.OptionReader;
import io.github.keycloakhasura.bridge.ServiceAccountTokens;
import org.jboss.logging.Logger;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.representations.AccessToken;
import org.keycloak.representations.IDToken;

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
    private static final List<ProviderConfigProperty> CONFIG_PROPERTIES = HasuraMapperProperties.all();

    /** Users whose claims query values a node keeps at most, unless the SPI option says otherwise. */
    public static final int CLAIMS_QUERY_CACHE_SIZE = 10_000;

    /** The claims queries of this node (their cache and HTTP client): set once by {@link #init}. */
    private volatile ClaimsQueries claimsQueries;

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    /**
     * Refuses to start on a Keycloak release outside the supported range (see {@link SupportedKeycloak}); sets up
     * the claims queries: their cache ({@value #CLAIMS_QUERY_CACHE_SIZE} users by default, SPI option
     * {@code claims-query-cache-size}) and the service-account client whose token they are sent with (the
     * {@code hasura-sync} events listener's {@code client-id}, default {@code hasura-sync}).
     */
    @Override
    public void init(org.keycloak.Config.Scope config) {
        SupportedKeycloak.require();
        int cacheSize = OptionReader.of(config::get).integer("claims-query-cache-size", CLAIMS_QUERY_CACHE_SIZE, 0, Integer.MAX_VALUE);
        String serviceAccount = OptionReader.of(org.keycloak.Config.scope("events-listener", "hasura-sync")::get)
                .text("client-id", "hasura-sync");
        ServiceAccountTokens tokens = new ServiceAccountTokens();
        claimsQueries = new ClaimsQueries(new ClaimsCache(cacheSize, System::nanoTime), ClaimsQueryClient.create(),
                (session, realm) -> tokens.token(session.getKeycloakSessionFactory(), realm.getId(), serviceAccount));
    }

    /** The claims queries of this node: held by the mapper's factory, the one instance Keycloak keeps. */
    static ClaimsQueries claimsQueries(KeycloakSession session) {
        ProviderFactory<ProtocolMapper> factory = session.getKeycloakSessionFactory()
                .getProviderFactory(ProtocolMapper.class, PROVIDER_ID);
        if (factory instanceof HasuraClaimsMapper mapper && mapper.claimsQueries != null) {
            return mapper.claimsQueries;
        }
        throw new IllegalStateException("The Hasura claims mapper is not initialised");
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
        Map<String, Object> claims;
        try {
            claims = issuing
                    ? HasuraSessionVariables.forIssuedToken(config, keycloakSession, userSession.getUser(), clientSessionCtx, issuedAt)
                    : HasuraSessionVariables.forClientSession(config, keycloakSession, userSession.getUser(), clientSessionCtx,
                            config.organizations() ? clientSessionCtx.getScopeString() : null, null, issuedAt);
        } catch (ClaimsUnavailableException e) {
            // on-failure "closed": no token rather than one without the app's session variables.
            throw new ClaimsUnavailableResponse(keycloakSession, e);
        }
        if (claims.isEmpty()) {
            return;
        }
        // Written as one key on purpose: OIDCAttributeMapperHelper.mapClaim would split the namespace on its dots.
        token.getOtherClaims().put(config.namespace(), HasuraClaims.render(config, claims));
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        ClaimsQueries queries = claimsQueries;
        return Map.of("version", Version.get(), "claims-query-cached-users", String.valueOf(queries == null ? 0 : queries.cached()));
    }
}
