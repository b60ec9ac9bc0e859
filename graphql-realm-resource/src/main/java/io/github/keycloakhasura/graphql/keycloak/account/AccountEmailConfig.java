package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.options.OptionReader;
import org.keycloak.common.util.Environment;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resource.RealmResourceProvider;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * Server options of the account emails (see CONFIG.md), read once by the GraphQL factory:
 * {@code --spi-realm-restapi-extension--graphql--app-url} and {@code --spi-realm-restapi-extension--graphql--email-interval}.
 *
 * @param appUrl               where the links in the emails point ({@code {app-url}/reset-password?token=…},
 *                             {@code {app-url}/verify-email?token=…}); null: the configured client's base URL or root URL
 * @param emailIntervalSeconds the least time between two emails of one kind to one user
 */
public record AccountEmailConfig(String appUrl, int emailIntervalSeconds) {

    public static final String APP_URL = "app-url";
    public static final String EMAIL_INTERVAL = "email-interval";
    public static final int DEFAULT_EMAIL_INTERVAL = 60;

    /** What the GraphQL provider factory offers (it reads the options once): found by its provider id, no import. */
    public interface Source {
        AccountEmailConfig accountEmails();
    }

    public AccountEmailConfig {
        if (appUrl != null && appUrl.isBlank()) {
            appUrl = null;
        }
        if (appUrl != null) {
            appUrl = stripSlash(appUrl.trim());
            if (!absoluteHttp(appUrl)) {
                throw new IllegalArgumentException(APP_URL + " must be an absolute http(s) URL, not '" + appUrl + "'");
            }
        }
        if (emailIntervalSeconds < 1) {
            throw new IllegalArgumentException(EMAIL_INTERVAL + " must be 1 or more seconds, not " + emailIntervalSeconds);
        }
    }

    /** Reads the options through {@code get} (e.g. {@code scope::get}); absent options take their defaults. */
    public static AccountEmailConfig from(Function<String, String> get) {
        OptionReader options = OptionReader.of(get);
        long seconds = options.duration(EMAIL_INTERVAL, ChronoUnit.SECONDS, DEFAULT_EMAIL_INTERVAL, 1, Integer.MAX_VALUE).toSeconds();
        return new AccountEmailConfig(options.text(APP_URL), (int) seconds);
    }

    /** The options the server was started with (defaults when the GraphQL factory is not deployed). */
    public static AccountEmailConfig of(KeycloakSession session) {
        ProviderFactory<RealmResourceProvider> factory = session.getKeycloakSessionFactory()
                .getProviderFactory(RealmResourceProvider.class, GraphqlConfig.PROVIDER_ID);
        if (factory instanceof Source graphql && graphql.accountEmails() != null) {
            return graphql.accountEmails();
        }
        return from(key -> null);
    }

    /**
     * Where the app's pages live: {@code app-url}; in dev mode ({@code kc.sh start-dev}) only, without it, the client's
     * base URL (made absolute against its root URL), else its root URL; null when there is none. A production server
     * ({@code kc.sh start}) sends no link without {@code app-url}: a client's root URL is often a developer's address
     * (the realm export's {@code http://localhost:3000}), and a reset link must never point anywhere but the app.
     */
    public String appUrl(ClientModel client) {
        return client == null ? appUrl(null, null, Environment.isDevMode())
                : appUrl(client.getRootUrl(), client.getBaseUrl(), Environment.isDevMode());
    }

    /** {@link #appUrl(ClientModel)} for a client with this root and base URL, on a dev or a production server. */
    String appUrl(String root, String base, boolean devMode) {
        if (appUrl != null) {
            return appUrl;
        }
        if (!devMode) {
            return null;
        }
        if (base != null && !base.isBlank()) {
            if (absoluteHttp(base.trim())) {
                return stripSlash(base.trim());
            }
            if (root != null && absoluteHttp(root.trim())) {
                return stripSlash(stripSlash(root.trim()) + "/" + base.trim().replaceFirst("^/+", ""));
            }
        }
        return root != null && absoluteHttp(root.trim()) ? stripSlash(root.trim()) : null;
    }

    private static boolean absoluteHttp(String url) {
        try {
            URI uri = URI.create(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String stripSlash(String url) {
        String result = url;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }
}
