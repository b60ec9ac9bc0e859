package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.mapper.SupportedKeycloak;
import io.github.keycloakhasura.mapper.Version;
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
 * {@code client-id} (default {@code hasura-app}), {@code webhook-unauthenticated-role} (default none: 401).
 */
public class HasuraEndpointsProviderFactory implements RealmResourceProviderFactory, ServerInfoAwareProviderFactory {

    public static final String ID = "hasura";

    private HasuraEndpointsConfig config = HasuraEndpointsConfig.defaults();

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new HasuraEndpointsProvider(session, config);
    }

    @Override
    public void init(Config.Scope scope) {
        SupportedKeycloak.require();
        config = HasuraEndpointsConfig.from(scope::get);
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
                .helpText("Cache-Control max-age (seconds) of /hasura/jwks, so Hasura refreshes keys on a schedule.")
                .defaultValue(HasuraEndpointsConfig.DEFAULT_JWKS_MAX_AGE).add()
                .property().name(HasuraEndpointsConfig.CLIENT_ID).type("string")
                .helpText("Client whose Hasura claims mapper /hasura/jwt-config describes when no client_id is given.")
                .defaultValue(HasuraEndpointsConfig.DEFAULT_CLIENT_ID).add()
                .property().name(HasuraEndpointsConfig.WEBHOOK_UNAUTHENTICATED_ROLE).type("string")
                .helpText("Role the webhook returns for requests without any token (Hasura's unauthorized role); "
                        + "unset: such requests get 401.")
                .add()
                .build();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", Version.get());
        info.put(HasuraEndpointsConfig.JWKS_MAX_AGE, String.valueOf(config.jwksMaxAgeSeconds()));
        info.put(HasuraEndpointsConfig.CLIENT_ID, config.defaultClientId());
        return info;
    }
}
