package io.github.keycloakhasura.graphql.spi;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.mapper.SupportedKeycloak;
import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.keycloak.account.AccountEmailConfig;
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
 * {@code /realms/{realm}/graphql}. Reads the options ({@code --spi-realm-restapi-extension--graphql--<option>}, see
 * CONFIG.md) and builds the GraphQL engine once, in {@link #init}; every request gets a fresh provider.
 */
public class GraphqlResourceProviderFactory implements RealmResourceProviderFactory, ServerInfoAwareProviderFactory,
        AccountEmailConfig.Source {

    public static final String ID = GraphqlConfig.PROVIDER_ID;

    private GraphqlConfig config;
    private GraphqlEngine engine;
    private TrustBoundary trust;
    private AccountEmailConfig accountEmails;

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope scope) {
        SupportedKeycloak.require();
        config = GraphqlConfig.from(scope::get);
        // The same options the Hasura provider reads (TrustBoundary.forHasura): one set of allowed clients and realms.
        trust = TrustBoundary.from(scope::get);
        engine = new GraphqlEngine(config, Capabilities.schema());
        accountEmails = AccountEmailConfig.from(scope::get);
    }

    /** The account-email options (app-url, email-interval), read in {@link #init}. */
    @Override
    public AccountEmailConfig accountEmails() {
        return accountEmails;
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new GraphqlResourceProvider(session, engine, config, trust);
    }

    @Override
    public void close() {
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name(GraphqlConfig.CLIENT_ID).type("string").defaultValue(GraphqlConfig.DEFAULT_CLIENT_ID)
                .helpText("Public client (direct access grants on) whose password and refresh grants tokenAuth and "
                        + "createUser use by default; its web origins are the CORS allow-list.").add()
                .property().name(TrustBoundary.ALLOWED_CLIENTS).type("string").defaultValue(GraphqlConfig.DEFAULT_CLIENT_ID)
                .helpText("Comma-separated clients whose logins and tokens tokenAuth, refreshToken, revokeToken, "
                        + "verifyToken, whoami, users and the Hasura webhook accept (must include client-id; default: "
                        + "client-id only). Also read by the hasura provider.").add()
                .property().name(TrustBoundary.REALMS).type("string")
                .helpText("Comma-separated realms that serve /graphql and /hasura/*; unset: every realm that has "
                        + "client-id (404 elsewhere, master included).").add()
                .property().name(TrustBoundary.ALLOW_OFFLINE_TOKENS).type("boolean").defaultValue(false)
                .helpText("Whether tokenAuth may issue offline tokens (scope offline_access) and refreshToken refresh them.").add()
                .property().name(GraphqlConfig.MANAGER_ROLE).type("string").defaultValue(GraphqlConfig.DEFAULT_MANAGER_ROLE)
                .helpText("Realm role allowed to list users (realm-management view-users also is).").add()
                .property().name(GraphqlConfig.MAX_PAGE_SIZE).type("int").defaultValue(GraphqlConfig.DEFAULT_MAX_PAGE_SIZE)
                .helpText("Largest page of users, also the default page size.").add()
                .property().name(GraphqlConfig.MAX_QUERY_DEPTH).type("int").defaultValue(GraphqlConfig.DEFAULT_MAX_QUERY_DEPTH)
                .helpText("Deepest selection accepted.").add()
                .property().name(GraphqlConfig.MAX_QUERY_COMPLEXITY).type("int").defaultValue(GraphqlConfig.DEFAULT_MAX_QUERY_COMPLEXITY)
                .helpText("Most fields accepted in one operation.").add()
                .property().name(GraphqlConfig.MAX_QUERY_TOKENS).type("int").defaultValue(GraphqlConfig.DEFAULT_MAX_QUERY_TOKENS)
                .helpText("Most grammar tokens in one document (checked while parsing).").add()
                .property().name(GraphqlConfig.MAX_REQUEST_BYTES).type("int").defaultValue(GraphqlConfig.DEFAULT_MAX_REQUEST_BYTES)
                .helpText("Largest request body (413 above).").add()
                .property().name(GraphqlConfig.DOCUMENT_CACHE_SIZE).type("int").defaultValue(GraphqlConfig.DEFAULT_DOCUMENT_CACHE_SIZE)
                .helpText("Parsed and validated documents kept in memory (0 disables the cache).").add()
                .property().name(GraphqlConfig.DOCUMENT_CACHE_BYTES).type("string")
                .defaultValue(String.valueOf(GraphqlConfig.DEFAULT_DOCUMENT_CACHE_BYTES))
                .helpText("Estimated bytes all cached documents may take together (16 per character of query text); "
                        + "documents over 4 KB are never cached.").add()
                .property().name(GraphqlConfig.INTROSPECTION).type("string").defaultValue("public")
                .options("public", "header", "disabled")
                .helpText("Who may introspect the schema: anyone, only requests with the introspection header, nobody.").add()
                .property().name(GraphqlConfig.INTROSPECTION_HEADER).type("string").defaultValue(GraphqlConfig.DEFAULT_INTROSPECTION_HEADER)
                .helpText("Header that carries the introspection key.").add()
                .property().name(GraphqlConfig.INTROSPECTION_KEY).type("string")
                .helpText("Value the introspection header must have when introspection=header.").add()
                .property().name(GraphqlConfig.FAST_LISTS).type("boolean").defaultValue(true)
                .helpText("Complete lists of plain objects (a page of users) in one loop instead of graphql-java's "
                        + "executor, with the same answers; false: graphql-java's executor for every field.").add()
                .property().name(AccountEmailConfig.APP_URL).type("string")
                .helpText("Base URL of the app pages the account emails link to ({app-url}/reset-password?token=..., "
                        + "{app-url}/verify-email?token=...); required in production; in dev mode the client's base or root URL "
                        + "is used without it.").add()
                .property().name(AccountEmailConfig.EMAIL_INTERVAL).type("int").defaultValue(AccountEmailConfig.DEFAULT_EMAIL_INTERVAL)
                .helpText("Least seconds between two password-reset (or two verification) emails to one user.").add()
                .build();
    }

    @Override
    public Map<String, String> getOperationalInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("version", Version.get());
        if (config != null) {
            info.put(GraphqlConfig.CLIENT_ID, config.clientId());
            info.put(TrustBoundary.ALLOWED_CLIENTS, String.join(",", trust.sortedAllowedClients()));
            info.put(TrustBoundary.REALMS, trust.realms().isEmpty() ? "(realms with " + trust.clientId() + ")"
                    : String.join(",", trust.sortedRealms()));
            info.put(TrustBoundary.ALLOW_OFFLINE_TOKENS, String.valueOf(trust.allowOfflineTokens()));
            info.put(GraphqlConfig.MANAGER_ROLE, config.managerRole());
            info.put(GraphqlConfig.MAX_PAGE_SIZE, String.valueOf(config.maxPageSize()));
            info.put(GraphqlConfig.INTROSPECTION, config.introspection().value());
            info.put(GraphqlConfig.DOCUMENT_CACHE_BYTES, String.valueOf(config.documentCacheBytes()));
            info.put("document-cache", engine.cachedDocuments() + " documents, about " + engine.cachedDocumentBytes() + " bytes");
            info.put(GraphqlConfig.FAST_LISTS, String.valueOf(config.fastLists()));
        }
        return info;
    }
}
