package io.github.keycloakhasura.graphql;

import graphql.language.Field;
import graphql.language.Selection;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tokenAuth, refreshToken, verifyToken, revokeToken and createUser: the seed's mutations, backed by Keycloak. Each
 * is a {@link Mutation} of its arguments, run by graphql-java through {@link #dataFetcher} or, when it is the
 * operation's only root field, directly by {@link SoleMutations}.
 */
final class AuthFetchers {

    /** A root mutation: what it asks of Keycloak, given its arguments (an argument not given is missing). */
    @FunctionalInterface
    interface Mutation {
        Object run(Backend keycloak, Map<String, Object> arguments);
    }

    /** The mutations by field name (the anonymous ones; the caller's own account is {@link AccountFetchers}'). */
    static final Map<String, Mutation> MUTATIONS = Map.of(
            "tokenAuth", AuthFetchers::tokenAuth,
            "refreshToken", AuthFetchers::refreshToken,
            "verifyToken", AuthFetchers::verifyToken,
            "revokeToken", AuthFetchers::revokeToken,
            "createUser", AuthFetchers::createUser,
            "sendPasswordResetEmail", (keycloak, arguments) -> success(keycloak.sendPasswordResetEmail(string(arguments, "email"))),
            "passwordReset", (keycloak, arguments) -> success(keycloak.passwordReset(string(arguments, "token"),
                    string(arguments, "newPassword"))),
            "resendActivationEmail", (keycloak, arguments) -> success(keycloak.resendActivationEmail(string(arguments, "email"))),
            "verifyAccount", (keycloak, arguments) -> success(keycloak.verifyAccount(string(arguments, "token"))));

    private AuthFetchers() {
    }

    /**
     * The fetcher graphql-java runs for {@code field}. When {@link SoleMutations} already ran the mutation and hands
     * the rest to graphql-java, its outcome is in the request's context ({@link SoleMutations.Fetched}) and is
     * answered instead of running the mutation a second time.
     */
    static DataFetcher<Object> dataFetcher(String field) {
        Mutation mutation = MUTATIONS.get(field);
        if (mutation == null) {
            throw new IllegalArgumentException("no mutation " + field);
        }
        return env -> {
            SoleMutations.Fetched fetched = env.getGraphQlContext().get(SoleMutations.Fetched.class);
            if (fetched != null && fetched.field().equals(field)) {
                return fetched.get();
            }
            return mutation.run(keycloak(env), env.getArguments());
        };
    }

    /** The backend, told whether this mutation is the operation's only root field (it may then share its transaction). */
    static Backend keycloak(DataFetchingEnvironment env) {
        Backend keycloak = RequestContext.of(env).keycloak();
        List<Selection> roots = env.getOperationDefinition().getSelectionSet().getSelections();
        keycloak.soleMutation(roots.size() == 1 && roots.get(0) instanceof Field);
        return keycloak;
    }

    static Object tokenAuth(Backend keycloak, Map<String, Object> arguments) {
        return keycloak.login(string(arguments, "username"), string(arguments, "password"),
                string(arguments, "clientId"), string(arguments, "scope"), string(arguments, "otp"),
                string(arguments, "newPassword"));
    }

    static Object refreshToken(Backend keycloak, Map<String, Object> arguments) {
        return keycloak.refresh(string(arguments, "refreshToken"));
    }

    static Object verifyToken(Backend keycloak, Map<String, Object> arguments) {
        return Map.of("payload", keycloak.verify(string(arguments, "token")));
    }

    static Object revokeToken(Backend keycloak, Map<String, Object> arguments) {
        return Map.of("revoked", keycloak.revoke(string(arguments, "refreshToken")));
    }

    static Object createUser(Backend keycloak, Map<String, Object> arguments) {
        KeycloakAuth.SignUp signUp = keycloak.signUp(string(arguments, "username"), string(arguments, "password"),
                string(arguments, "email"), string(arguments, "firstName"), string(arguments, "lastName"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user", signUp.user());
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("role", signUp.user().hasuraRole());
        result.put("profile", profile);
        // No tokens while the new user's email waits for verification (the realm's "Verify email" switch).
        KeycloakAuth.Tokens tokens = signUp.tokens();
        result.put("token", tokens == null ? null : tokens.token());
        result.put("refreshToken", tokens == null ? null : tokens.refreshToken());
        result.put("payload", tokens == null ? null : tokens.payload());
        result.put("refreshExpiresIn", tokens == null ? null : tokens.refreshExpiresIn());
        return result;
    }

    /** The answer of the account-email mutations: {@code { success }}. */
    private static Object success(boolean success) {
        return Map.of("success", success);
    }

    /** A String argument (the schema declares every mutation argument a String). */
    private static String string(Map<String, Object> arguments, String name) {
        return (String) arguments.get(name);
    }
}
