package io.github.keycloakhasura.graphql.fetchers;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.capability.Arguments;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.capability.Transactions;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.Tokens;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The anonymous mutations: the seed's tokenAuth, refreshToken, verifyToken, revokeToken and createUser, and the
 * account emails (sendPasswordResetEmail, passwordReset, resendActivationEmail, verifyAccount). Each reads its
 * arguments and asks the {@link Backend}; refresh, verify and revoke say in which transaction ({@link Transactions}).
 */
final class AuthFetchers {

    private AuthFetchers() {
    }

    static Object tokenAuth(DataFetchingEnvironment env) {
        return keycloak(env).login(env.getArgument("username"), env.getArgument("password"), env.getArgument("clientId"),
                env.getArgument("scope"), env.getArgument("otp"), Arguments.pending(env));
    }

    static Object createUser(DataFetchingEnvironment env) {
        SignUp signUp = keycloak(env).signUp(env.getArgument("username"), env.getArgument("password"),
                env.getArgument("email"), env.getArgument("firstName"), env.getArgument("lastName"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user", signUp.user());
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("role", signUp.user().hasuraRole());
        result.put("profile", profile);
        // No tokens while the new user's email waits for verification (the realm's "Verify email" switch).
        Tokens tokens = signUp.tokens();
        result.put("token", tokens == null ? null : tokens.token());
        result.put("refreshToken", tokens == null ? null : tokens.refreshToken());
        result.put("payload", tokens == null ? null : tokens.payload());
        result.put("refreshExpiresIn", tokens == null ? null : tokens.refreshExpiresIn());
        return result;
    }

    private static Backend keycloak(DataFetchingEnvironment env) {
        return RequestContext.of(env).keycloak();
    }

    /** The answer of the account-email mutations: {@code { success }}. */
    static Object success(boolean success) {
        return Map.of("success", success);
    }
}
