package io.github.keycloakhasura.graphql.api;

import io.github.keycloakhasura.variables.SessionVariables;

import java.util.List;
import java.util.Optional;

/**
 * The port of the request's caller and of the user directory ({@code graphql.directory}), one instance per HTTP
 * request; only plain values cross it (no Keycloak types). Who may list or read users is decided by the adapter
 * ({@link #requireUserViewer}). {@code graphql.keycloak.KeycloakBackend} is the real one; the unit tests and the JMH
 * benchmark of the GraphQL layer plug in canned answers. The other capabilities have ports of their own
 * ({@code capability.RequestContext#port}).
 */
public interface Backend {

    /** The caller named by the request's Authorization header(s), verified; otherwise UNAUTHENTICATED. */
    Caller caller(List<String> authorization);

    /** The caller as a user. */
    UserView whoami(Caller caller);

    /**
     * The caller's Hasura session variables, as the Hasura claims mapper computes them for the caller's token (its
     * client session): the same as the token's claims and the Hasura webhook's answer (one procedure,
     * {@code variables.LiveSessionVariables}); {@link HasuraVariables#claimsOrNull} reads the kinds.
     */
    SessionVariables sessionVariables(Caller caller);

    /** Returns normally only for callers allowed to see users (FORBIDDEN otherwise). */
    void requireUserViewer(Caller caller);

    /** One page of users sorted by username; {@code size + 1} rows at most, to tell whether more follow. */
    List<UserView> users(String search, int offset, int size);

    int countUsers(String search);

    Optional<UserView> user(String id);

    /** Effective realm roles of a user, sorted. */
    List<String> roles(String userId);

    /**
     * The default Hasura role of a user, computed by the Hasura claims mapper for the client of {@code caller}'s token
     * (the configured client when {@code caller} is null): the caller's own from its token's client session (as
     * {@link #sessionVariables}), anyone else's as a token of that client with its default client scopes would carry
     * it. Null when that client has no Hasura mapper; INVALID_MAPPER_CONFIG when the mapper's options make no sense.
     */
    String hasuraRole(Caller caller, String userId);
}
