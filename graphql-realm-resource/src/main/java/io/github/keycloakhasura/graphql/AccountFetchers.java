package io.github.keycloakhasura.graphql;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.account.AccountDeletion;
import io.github.keycloakhasura.graphql.account.AccountProfile;
import io.github.keycloakhasura.graphql.account.PasswordChange;
import io.github.keycloakhasura.graphql.account.Self;
import io.github.keycloakhasura.graphql.account.Totp;
import io.github.keycloakhasura.graphql.account.UserSessions;

import java.util.Map;
import java.util.function.Function;

/**
 * The caller's own account (bearer): passwordChange, totpSetup/totpConfirm/totpRemove, logout, sessions,
 * updateAccount, deleteAccount. The caller is the request's verified bearer ({@link RequestContext#caller()});
 * the work is the account package's, in a Keycloak transaction ({@link Backend#self}). These fields take Boolean
 * and JSON arguments, so {@link SoleMutations} leaves them to graphql-java.
 */
final class AccountFetchers {

    private AccountFetchers() {
    }

    static Object passwordChange(DataFetchingEnvironment env) {
        boolean keep = Boolean.TRUE.equals(env.getArgument("keepOtherSessions"));
        return run(env, "passwordChange", self -> KeycloakAuth.tokens(PasswordChange.change(self,
                env.getArgument("oldPassword"), env.getArgument("newPassword"), keep)));
    }

    static Object totpSetup(DataFetchingEnvironment env) {
        return run(env, "totpSetup", Totp::setup);
    }

    static Object totpConfirm(DataFetchingEnvironment env) {
        return success(run(env, "totpConfirm", self -> Totp.confirm(self, env.getArgument("code"), env.getArgument("label"))));
    }

    static Object totpRemove(DataFetchingEnvironment env) {
        return success(run(env, "totpRemove", self -> Totp.remove(self, env.getArgument("code"))));
    }

    static Object logout(DataFetchingEnvironment env) {
        boolean all = Boolean.TRUE.equals(env.getArgument("allSessions"));
        return success(run(env, "logout", self -> UserSessions.logout(self, all)));
    }

    static Object sessions(DataFetchingEnvironment env) {
        RequestContext context = RequestContext.of(env);
        return context.keycloak().self(context.caller(), "sessions", UserSessions::list);
    }

    static Object updateAccount(DataFetchingEnvironment env) {
        Map<String, Object> attributes = env.getArgument("attributes");
        KeycloakAuth.UserView user = run(env, "updateAccount", self -> KeycloakAuth.UserView.of(AccountProfile.update(self,
                env.getArgument("firstName"), env.getArgument("lastName"), env.getArgument("email"), attributes), null, null));
        return Map.of("user", user);
    }

    static Object deleteAccount(DataFetchingEnvironment env) {
        return success(run(env, "deleteAccount", self -> AccountDeletion.delete(self, env.getArgument("password"))));
    }

    private static <T> T run(DataFetchingEnvironment env, String operation, Function<Self, T> work) {
        RequestContext context = RequestContext.of(env);
        KeycloakAuth.Caller caller = context.caller();
        return AuthFetchers.keycloak(env).self(caller, operation, work);
    }

    private static Map<String, Object> success(boolean done) {
        return Map.of("success", done);
    }
}
