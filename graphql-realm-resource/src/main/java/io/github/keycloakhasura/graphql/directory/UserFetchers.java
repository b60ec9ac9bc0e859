package io.github.keycloakhasura.graphql.directory;

import io.github.keycloakhasura.graphql.capability.RequestContext;
import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.HasuraVariables;
import io.github.keycloakhasura.graphql.api.UserView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** whoami, users, usersPage, user, and the lazily resolved User fields (roles, profile). */
final class UserFetchers {

    private UserFetchers() {
    }

    static Object whoami(DataFetchingEnvironment env) {
        RequestContext context = RequestContext.of(env);
        return context.keycloak().whoami(context.caller());
    }

    static Object users(DataFetchingEnvironment env) {
        return page(env, false).get("items");
    }

    static Object usersPage(DataFetchingEnvironment env) {
        return page(env, env.getSelectionSet().contains("totalCount"));
    }

    /**
     * Any user for a user viewer; a caller's own record for everyone else (what Hasura's {@code notes.owner} remote
     * join asks for a plain user, whose notes are all their own). Another id is FORBIDDEN before any lookup, whether
     * or not it exists, so the answer says nothing about other users.
     */
    static Object user(DataFetchingEnvironment env) {
        RequestContext context = RequestContext.of(env);
        String id = env.getArgument("id");
        Caller caller = context.caller();
        if (caller.userId() == null || !caller.userId().equals(id)) {
            context.keycloak().requireUserViewer(caller);
        }
        return context.keycloak().user(id).orElseThrow(() -> GraphqlException.notFound("No user with id " + id));
    }

    static List<String> roles(UserView user, GraphQLContext graphql) {
        return RequestContext.of(graphql).keycloak().roles(user.id());
    }

    /**
     * The default Hasura role for the client of the request's caller (the configured client without one), as the
     * Hasura claims mapper computes it; known already for createUser.
     */
    static Map<String, Object> profile(UserView user, GraphQLContext graphql) {
        RequestContext context = RequestContext.of(graphql);
        String role = user.hasuraRole() != null ? user.hasuraRole()
                : context.keycloak().hasuraRole(context.authenticatedCaller(), user.id());
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("role", role);
        return profile;
    }

    /** The caller's Hasura session variables, on the caller's own record only (whoami, user(id: own id)). */
    static Map<String, Object> hasura(UserView user, GraphQLContext graphql) {
        RequestContext context = RequestContext.of(graphql);
        Caller caller = context.authenticatedCaller();
        return caller != null && user.id() != null && user.id().equals(caller.userId())
                ? HasuraVariables.claimsOrNull(context.keycloak().sessionVariables(caller)) : null;
    }

    private static Map<String, Object> page(DataFetchingEnvironment env, boolean count) {
        RequestContext context = RequestContext.of(env);
        Backend keycloak = context.keycloak();
        keycloak.requireUserViewer(context.caller());
        String search = env.getArgument("search");
        UserPaging paging = UserPaging.of(env.getArgument("first"), env.getArgument("after"), context.config().maxPageSize());
        List<UserView> rows = keycloak.users(search, paging.offset(), paging.size());
        boolean more = rows.size() > paging.size();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", more ? rows.subList(0, paging.size()) : rows);
        page.put("hasNextPage", more);
        page.put("endCursor", more ? paging.next() : null);
        if (count) {
            page.put("totalCount", keycloak.countUsers(search));
        }
        return page;
    }
}
