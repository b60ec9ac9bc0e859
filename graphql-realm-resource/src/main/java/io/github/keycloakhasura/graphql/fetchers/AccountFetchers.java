package io.github.keycloakhasura.graphql.fetchers;

import io.github.keycloakhasura.graphql.capability.Transactions;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.Account;
import io.github.keycloakhasura.graphql.api.AccountUpdate;
import io.github.keycloakhasura.graphql.api.TransactionMode;

import java.util.HashMap;
import java.util.Map;

/**
 * The caller's own account (bearer): passwordChange, totpSetup/totpConfirm/totpRemove, logout, sessions,
 * updateAccount, deleteAccount. The caller is the request's verified bearer ({@link RequestContext#caller()}); the
 * work is the backend's {@link Account}, in the transaction the operation's shape gives ({@link Transactions}).
 */
final class AccountFetchers {

    private AccountFetchers() {
    }

    static Object passwordChange(DataFetchingEnvironment env) {
        boolean keep = Boolean.TRUE.equals(env.getArgument("keepOtherSessions"));
        return account(env).passwordChange(env.getArgument("oldPassword"), env.getArgument("newPassword"), keep);
    }

    static Object totpSetup(DataFetchingEnvironment env) {
        return account(env).totpSetup();
    }

    static Object totpConfirm(DataFetchingEnvironment env) {
        return AuthFetchers.success(account(env).totpConfirm(env.getArgument("code"), env.getArgument("label"),
                env.getArgument("password")));
    }

    static Object totpRemove(DataFetchingEnvironment env) {
        return AuthFetchers.success(account(env).totpRemove(env.getArgument("code"), env.getArgument("password")));
    }

    static Object logout(DataFetchingEnvironment env) {
        return AuthFetchers.success(account(env).logout(Boolean.TRUE.equals(env.getArgument("allSessions"))));
    }

    /** A query: it runs in the request's transaction. */
    static Object sessions(DataFetchingEnvironment env) {
        RequestContext context = RequestContext.of(env);
        return context.keycloak().account(context.caller(), TransactionMode.REQUEST).sessions();
    }

    static Object updateAccount(DataFetchingEnvironment env) {
        Map<String, Object> attributes = env.getArgument("attributes");
        AccountUpdate update = account(env).update(env.getArgument("firstName"), env.getArgument("lastName"),
                env.getArgument("email"), attributes, env.getArgument("password"));
        Map<String, Object> result = new HashMap<>();
        result.put("user", update.user());
        result.put("emailPending", update.emailPending());
        return result;
    }

    static Object deleteAccount(DataFetchingEnvironment env) {
        return AuthFetchers.success(account(env).delete(env.getArgument("password")));
    }

    private static Account account(DataFetchingEnvironment env) {
        RequestContext context = RequestContext.of(env);
        return context.keycloak().account(context.caller(), Transactions.of(env));
    }
}
