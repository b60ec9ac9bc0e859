package io.github.keycloakhasura.it.support;

/** A running Keycloak with the extension deployed and realm {@code app} imported. */
public interface KeycloakServer extends AutoCloseable {

    String ADMIN_USERNAME = "admin";
    String ADMIN_PASSWORD = "admin";
    String REALM = "app";
    String CLIENT_ID = "hasura-app";

    /** e.g. {@code http://localhost:41234} (no trailing slash, no context path). */
    String baseUrl();

    /** {@code baseUrl()/realms/app}. */
    default String realmUrl() {
        return baseUrl() + "/realms/" + REALM;
    }

    /** The issuer Keycloak writes into tokens, as seen by the tests. */
    default String issuer() {
        return realmUrl();
    }

    /** Where the server log goes, for failure messages. */
    String describe();

    @Override
    void close();
}
