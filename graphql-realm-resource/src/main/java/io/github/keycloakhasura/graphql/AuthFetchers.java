package io.github.keycloakhasura.graphql;

import graphql.schema.DataFetchingEnvironment;

import java.util.LinkedHashMap;
import java.util.Map;

/** tokenAuth, refreshToken, verifyToken, revokeToken and createUser: the seed's mutations, backed by Keycloak. */
final class AuthFetchers {

    private AuthFetchers() {
    }

    static Object tokenAuth(DataFetchingEnvironment env) {
        Backend keycloak = RequestContext.of(env).keycloak();
        return keycloak.login(env.getArgument("username"), env.getArgument("password"),
                env.getArgument("clientId"), env.getArgument("scope"));
    }

    static Object refreshToken(DataFetchingEnvironment env) {
        return RequestContext.of(env).keycloak().refresh(env.getArgument("refreshToken"));
    }

    static Object verifyToken(DataFetchingEnvironment env) {
        return Map.of("payload", RequestContext.of(env).keycloak().verify(env.getArgument("token")));
    }

    static Object revokeToken(DataFetchingEnvironment env) {
        return Map.of("revoked", RequestContext.of(env).keycloak().revoke(env.getArgument("refreshToken")));
    }

    static Object createUser(DataFetchingEnvironment env) {
        KeycloakAuth.SignUp signUp = RequestContext.of(env).keycloak().signUp(env.getArgument("username"),
                env.getArgument("password"), env.getArgument("email"), env.getArgument("firstName"),
                env.getArgument("lastName"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user", signUp.user());
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("role", signUp.user().hasuraRole());
        result.put("profile", profile);
        result.put("token", signUp.tokens().token());
        result.put("refreshToken", signUp.tokens().refreshToken());
        result.put("payload", signUp.tokens().payload());
        result.put("refreshExpiresIn", signUp.tokens().refreshExpiresIn());
        return result;
    }
}
