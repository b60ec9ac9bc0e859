package io.github.keycloakhasura.it.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.util.List;

/**
 * Starts one Keycloak for the whole test run (stored in the root context, so it is closed when the run ends,
 * whether tests passed or not) and injects it as a {@link KeycloakServer} parameter.
 * Backend: {@code -Dkeycloak.backend=distribution} (default) or {@code container}.
 */
public final class KeycloakExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakExtension.class);

    /** The JWKS cache lifetime the test server is configured with (not the default, to prove the option works). */
    public static final int HASURA_JWKS_MAX_AGE = 120;

    /** The GraphQL endpoint's max-page-size on the test server (not the default 100). */
    public static final int GRAPHQL_MAX_PAGE_SIZE = 25;

    /**
     * Clients besides {@code hasura-app} in the test server's {@code allowed-clients} (a server-wide option): tests
     * create them on first use ({@link KeycloakAdmin#ensureClient}). A Hasura mapper with priority manager,user.
     */
    public static final String ALLOWED_PRIORITY_CLIENT = "it-allowed-priority";
    /** Allowed; access tokens live one second. */
    public static final String ALLOWED_SHORT_CLIENT = "it-allowed-short";
    /** Allowed; full scope off, no role scope mappings and no Hasura mapper: its tokens carry no realm roles. */
    public static final String ALLOWED_SCOPED_CLIENT = "it-allowed-scoped";
    /** Allowed; created by the jwt-config and ddn-auth-config tests with mapper options and an audience of their own. */
    public static final String ALLOWED_JWT_CONFIG_CLIENT = "it-allowed-jwt-config";
    public static final String ALLOWED_DDN_CLIENT = "it-allowed-ddn";

    /** Server options every backend gets (the extension's SPI options used by the tests). */
    static final List<String> SERVER_OPTIONS = List.of(
            "--spi-realm-restapi-extension--graphql--allowed-clients=hasura-app," + ALLOWED_PRIORITY_CLIENT + ","
                    + ALLOWED_SHORT_CLIENT + "," + ALLOWED_SCOPED_CLIENT + "," + ALLOWED_JWT_CONFIG_CLIENT + "," + ALLOWED_DDN_CLIENT,
            "--spi-realm-restapi-extension--hasura--jwks-max-age=" + HASURA_JWKS_MAX_AGE,
            // GraphQL endpoint: a page size other than the default, to prove the option name (GraphqlUsersIT).
            "--spi-realm-restapi-extension--graphql--max-page-size=" + GRAPHQL_MAX_PAGE_SIZE);

    @Override
    public void beforeAll(ExtensionContext context) {
        server(context);
    }

    public static KeycloakServer server(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KeycloakServer.class, key -> new Holder(start()), Holder.class).server;
    }

    private static KeycloakServer start() {
        String backend = System.getProperty("keycloak.backend", "distribution");
        return switch (backend) {
            case "distribution" -> DistributionKeycloakServer.start(SERVER_OPTIONS);
            case "container" -> ContainerKeycloakServer.start(SERVER_OPTIONS);
            default -> throw new IllegalArgumentException(
                    "keycloak.backend must be 'distribution' or 'container', not '" + backend + "'");
        };
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KeycloakServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return server(extensionContext);
    }

    /** Closed by JUnit when the root context closes, i.e. at the end of the run. */
    private record Holder(KeycloakServer server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
