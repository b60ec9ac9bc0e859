package io.github.keycloakhasura.graphql.pats;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.capability.Transactions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * createPersonalAccessToken, personalAccessTokens, revokePersonalAccessToken, tokenAuthWithPersonalAccessToken: each
 * reads its arguments and asks the {@link PersonalAccessTokens} port.
 */
public final class PatFetchers {

    private PatFetchers() {
    }

    static Object create(DataFetchingEnvironment env) {
        PersonalAccessTokens.Created created = port(env).create(RequestContext.of(env).caller(), env.getArgument("name"),
                env.getArgument("roles"), env.getArgument("expiresInDays"), Transactions.of(env));
        return view(created.id(), created.name(), created.token(), created.roles(), null, null, created.expiresAt());
    }

    static Object list(DataFetchingEnvironment env) {
        return port(env).list(RequestContext.of(env).caller()).stream()
                .map(t -> view(t.id(), t.name(), null, t.roles(), t.createdAt(), t.lastUsedAt(), t.expiresAt()))
                .toList();
    }

    static Object revoke(DataFetchingEnvironment env) {
        return Map.of("success", port(env).revoke(RequestContext.of(env).caller(), env.getArgument("id"), Transactions.of(env)));
    }

    static Object login(DataFetchingEnvironment env) {
        return port(env).login(env.getArgument("token"));
    }

    private static PersonalAccessTokens port(DataFetchingEnvironment env) {
        return RequestContext.port(env, PersonalAccessTokens.class);
    }

    private static Map<String, Object> view(String id, String name, String token, List<String> roles, String createdAt,
                                            String lastUsedAt, String expiresAt) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("name", name);
        view.put("token", token);
        view.put("roles", roles);
        view.put("createdAt", createdAt);
        view.put("lastUsedAt", lastUsedAt);
        view.put("expiresAt", expiresAt);
        return view;
    }
}
