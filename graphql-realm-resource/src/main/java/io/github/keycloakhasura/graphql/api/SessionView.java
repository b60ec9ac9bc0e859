package io.github.keycloakhasura.graphql.api;

import java.util.List;

/**
 * A session of the caller as {@code sessions} shows it: times ISO-8601, the client ids with tokens in it, whether it
 * is the session of the access token sent and whether it is an offline session.
 */
public record SessionView(String id, String started, String lastAccess, String ipAddress, List<String> clients,
                          boolean current, boolean offline) {

    public SessionView {
        clients = List.copyOf(clients);
    }
}
