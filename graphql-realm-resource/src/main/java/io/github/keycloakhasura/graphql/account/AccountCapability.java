package io.github.keycloakhasura.graphql.account;

import io.github.keycloakhasura.graphql.capability.Transactions;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.TokenFields;
import io.github.keycloakhasura.graphql.api.AccountUpdate;
import io.github.keycloakhasura.graphql.api.TransactionMode;

import java.util.HashMap;
import java.util.Map;

/**
 * The caller's own account (bearer): passwordChange, totpSetup/totpConfirm/totpRemove, logout, sessions,
 * updateAccount, deleteAccount (account.graphqls). The caller is the request's verified bearer
 * ({@link RequestContext#caller()}); the work is its {@link Account} ({@link Accounts} port), in the transaction the
 * operation's shape gives ({@link Transactions}).
 */
public final class AccountCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(AccountCapability.class, "account.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type.dataFetcher("sessions", AccountCapability::sessions))
                .type("Mutation", type -> type
                        .dataFetcher("passwordChange", AccountCapability::passwordChange)
                        .dataFetcher("totpSetup", AccountCapability::totpSetup)
                        .dataFetcher("totpConfirm", AccountCapability::totpConfirm)
                        .dataFetcher("totpRemove", AccountCapability::totpRemove)
                        .dataFetcher("logout", AccountCapability::logout)
                        .dataFetcher("updateAccount", AccountCapability::updateAccount)
                        .dataFetcher("deleteAccount", AccountCapability::deleteAccount))
                .type("PasswordChange", TokenFields::wire);
    }

    private static Object passwordChange(DataFetchingEnvironment env) {
        boolean keep = Boolean.TRUE.equals(env.getArgument("keepOtherSessions"));
        return account(env).passwordChange(env.getArgument("oldPassword"), env.getArgument("newPassword"), keep);
    }

    private static Object totpSetup(DataFetchingEnvironment env) {
        return account(env).totpSetup();
    }

    private static Object totpConfirm(DataFetchingEnvironment env) {
        return success(account(env).totpConfirm(env.getArgument("code"), env.getArgument("label"),
                env.getArgument("password")));
    }

    private static Object totpRemove(DataFetchingEnvironment env) {
        return success(account(env).totpRemove(env.getArgument("code"), env.getArgument("password")));
    }

    private static Object logout(DataFetchingEnvironment env) {
        return success(account(env).logout(Boolean.TRUE.equals(env.getArgument("allSessions"))));
    }

    /** A query: it runs in the request's transaction. */
    private static Object sessions(DataFetchingEnvironment env) {
        RequestContext context = RequestContext.of(env);
        return context.ports().get(Accounts.class).of(context.caller(), TransactionMode.REQUEST).sessions();
    }

    private static Object updateAccount(DataFetchingEnvironment env) {
        Map<String, Object> attributes = env.getArgument("attributes");
        AccountUpdate update = account(env).update(env.getArgument("firstName"), env.getArgument("lastName"),
                env.getArgument("email"), attributes, env.getArgument("password"));
        Map<String, Object> result = new HashMap<>();
        result.put("user", update.user());
        result.put("emailPending", update.emailPending());
        return result;
    }

    private static Object deleteAccount(DataFetchingEnvironment env) {
        return success(account(env).delete(env.getArgument("password")));
    }

    private static Account account(DataFetchingEnvironment env) {
        RequestContext context = RequestContext.of(env);
        return context.ports().get(Accounts.class).of(context.caller(), Transactions.of(env));
    }

    private static Map<String, Object> success(boolean success) {
        return Map.of("success", success);
    }
}
