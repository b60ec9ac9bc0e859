package io.github.keycloakhasura.it.reliability;

import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Checks that sessions survived: each one's latest refresh token must still refresh, through the GraphQL endpoint. */
final class Sessions {

    private Sessions() {
    }

    /** The sessions (not revoked) whose refresh is refused by {@code node}, with the answer. */
    static List<String> lost(List<MixedTraffic.Session> sessions, KeycloakServer node) {
        List<String> lost = new ArrayList<>();
        for (MixedTraffic.Session s : sessions) {
            if (s.revoked()) {
                continue;
            }
            Http.Response r = Http.json("POST", node.realmUrl() + "/graphql", Map.of(
                    "query", "mutation($r: String!) { refreshToken(refreshToken: $r) { token } }",
                    "variables", Map.of("r", s.refreshToken())), null);
            if (r.status() != 200 || r.json().has("errors")) {
                lost.add("session " + s.id + " (created on " + s.createdOn + " at " + s.createdMillis + " ms): " + r);
            }
        }
        return lost;
    }
}
