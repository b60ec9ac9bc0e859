package io.github.keycloakhasura.graphql.api;

/**
 * The verified caller of an authenticated operation (the request's bearer token). The Keycloak side keeps what it
 * verified behind this interface; the fetchers see only the user's id.
 */
public interface Caller {

    /** The user the bearer token was issued to. */
    String userId();
}
