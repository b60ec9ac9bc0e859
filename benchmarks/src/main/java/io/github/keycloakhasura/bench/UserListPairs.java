package io.github.keycloakhasura.bench;

import io.github.keycloakhasura.bench.Pair.Sides;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/** The user-list pairs of {@link Pairs}' table: {@code users(first: 50)} against the admin REST list, at two realm sizes. */
final class UserListPairs {

    private UserListPairs() {
    }

    /** Those {@code --only users} asks for. */
    static List<Pair> all(Pairs pairs) {
        List<Pair> list = new ArrayList<>();
        String smallLabel = Report.count(pairs.options().smallUsers);
        String largeLabel = Report.count(pairs.options().users);
        if (pairs.options().wants("users")) {
            list.add(new Pair("users-small", "`users(first: 50)` at " + smallLabel + " users",
                    "admin REST `GET /users?first=0&max=50`", "`users(first: 50)`", Pair.Kind.LATENCY, 50,
                    () -> users(pairs, KeycloakServer.REALM, false)));
            list.add(new Pair("users-large", "`users(first: 50)` at " + largeLabel + " users",
                    "admin REST `GET /users?first=0&max=50`", "`users(first: 50)`", Pair.Kind.LATENCY, 50,
                    () -> users(pairs, BenchRealm.LARGE_REALM, false)));
            list.add(new Pair("users-roles-small", "`users(first: 50)` + `roles`, `profile { role }` at " + smallLabel + " users",
                    "admin REST `GET /users?first=0&max=50`", "`users(first: 50) { … roles profile { role } }`", Pair.Kind.NONE, 0,
                    () -> users(pairs, KeycloakServer.REALM, true)));
            list.add(new Pair("users-roles-large", "`users(first: 50)` + `roles`, `profile { role }` at " + largeLabel + " users",
                    "admin REST `GET /users?first=0&max=50`", "`users(first: 50) { … roles profile { role } }`", Pair.Kind.NONE, 0,
                    () -> users(pairs, BenchRealm.LARGE_REALM, true)));
        }
        return list;
    }

    private static Sides users(Pairs pairs, String realmName, boolean roles) {
        String fields = "id username email firstName lastName emailVerified isActive dateJoined"
                + (roles ? " roles profile { role }" : "");
        String query = "{ users(first: 50) { " + fields + " } }";
        String access = pairs.realm().login(realmName, KeycloakServer.CLIENT_ID, BenchRealm.MANAGER, null).get("access_token").asText();
        // The manager holds the manager role (GraphQL) and realm-management view-users (admin REST): one token for both.
        String adminUsers = pairs.baseUrl() + "/admin/realms/" + realmName + "/users?first=0&max=50&briefRepresentation=true";
        String endpoint = pairs.baseUrl() + "/realms/" + realmName + "/graphql";
        List<HttpRequest> nat = new ArrayList<>();
        List<HttpRequest> ext = new ArrayList<>();
        for (int w = 0; w < pairs.options().concurrency; w++) {
            nat.add(Requests.get(adminUsers, access));
            ext.add(Requests.graphql(endpoint, query, null, access));
        }
        return new Sides(Requests.side(nat, b -> b.startsWith("[{")), Requests.side(ext, Requests::graphqlOk));
    }
}
