package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.mapper.SupportedKeycloak;
import io.github.keycloakhasura.mapper.Version;
import io.github.keycloakhasura.trust.TrustBoundary;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ServerInfoAwareProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hasura helper endpoints under {@code /realms/{realm}/hasura/}: {@code jwks}, {@code jwt-config} and {@code webhook}.
 * Options ({@code --spi-realm-restapi-extension--hasura--<option>}): {@code jwks-max-age} (seconds, default 300),
 * {@code webhook-unauthenticated-role} (default none: 401). {@code client-id}, {@code allowed-clients} and {@code realms}
 * are the GraphQL provider's ({@link TrustBoundary#forHasura}): one trust boundary for both.
 */
public class HasuraEndpointsProviderFactory implements RealmResourceProviderFactory, ServerInfoAwareProviderFactory {

    public static final String ID = "hasura";

    private HasuraEndpointsConfig config = HasuraEndpointsConfig.defaults();
    private TrustBoundary trust = TrustBoundary.defaults();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new HasuraEndpointsProvider(session, config, trust);
    }

    @Override
    public void init(Config.Scope scope) {
        SupportedKeycloak.require();
        // client-id, allowed-clients, realms: the GraphQL provider's options, read from its scope (one place to set them).
        trust = TrustBoundary.forHasura(scope::get, Config.scope(TrustBoundary.SPI, TrustBoundary.SCOPE)::get);
        HasuraEndpointsConfig parsed = HasuraEndpointsConfig.from(scope::get);
        config = new HasuraEndpointsConfig(parsed.jwksMaxAgeSeconds(), trust.clientId(), parsed.webhookUnauthenticatedRole());
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(HasuraEndpointsConfig.JWKS_MAX_AGE).type("int")
                .helpText("Cache-Control max-age (seconds, 30 or more) of /hasura/jwks, so Hasura refreshes keys on a schedule.")
                .defaultValue(HasuraEndpointsConfig.DEFAULT_JWKS_MAX_AGE).add()
                .property().name(HasuraEndpointsConfig.CLIENT_ID).type("string")
                .helpText("Deprecated here: set client-id (and allowed-clients, realms) under the graphql provider, which "
                        + "this provider reads; a different value here stops start-up. /hasura/jwt-config describes it "
                        + "when no client_id is given.")
                .defaultValue(HasuraEndpointsConfig.DEFAULT_CLIENT_ID).add()
                .property().name(HasuraEndpointsConfig.WEBHOOK_UNAUTHENTICATED_ROLE).type("string")
                .helpText("Role the webhook returns for requests without any token (Hasura's unauthorized role); "
                        + "unset: such requests get 401. Never 'admin' (start-up stops).")
                .add()
                .build();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", Version.get());
        info.put(HasuraEndpointsConfig.JWKS_MAX_AGE, String.valueOf(config.jwksMaxAgeSeconds()));
        info.put(HasuraEndpointsConfig.CLIENT_ID, config.defaultClientId());
        info.put(TrustBoundary.ALLOWED_CLIENTS, String.join(",", trust.sortedAllowedClients()) + " (from graphql)");
        info.put(TrustBoundary.REALMS, trust.realms().isEmpty() ? "(realms with " + trust.clientId() + ")"
                : String.join(",", trust.sortedRealms()));
        return info;
    }
}
