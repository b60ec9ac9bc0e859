package io.github.keycloakhasura.graphql;

import graphql.language.Field;
import graphql.language.Selection;
import graphql.schema.DataFetchingEnvironment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** tokenAuth, refreshToken, verifyToken, revokeToken and createUser: the seed's mutations, backed by Keycloak. */
final class AuthFetchers {

    private AuthFetchers() {
    }

    /** The backend, told whether this mutation is the operation's only root field (it may then share its transaction). */
    private static Backend keycloak(DataFetchingEnvironment env) {
        Backend keycloak = RequestContext.of(env).keycloak();
        List<Selection> roots = env.getOperationDefinition().getSelectionSet().getSelections();
        keycloak.soleMutation(roots.size() == 1 && roots.get(0) instanceof Field);
        return keycloak;
    }

    static Object tokenAuth(DataFetchingEnvironment env) {
        Backend keycloak = keycloak(env);
        return keycloak.login(env.getArgument("username"), env.getArgument("password"),
                env.getArgument("clientId"), env.getArgument("scope"));
    }

    static Object refreshToken(DataFetchingEnvironment env) {
        return keycloak(env).refresh(env.getArgument("refreshToken"));
    }

    static Object verifyToken(DataFetchingEnvironment env) {
        return Map.of("payload", keycloak(env).verify(env.getArgument("token")));
    }

    static Object revokeToken(DataFetchingEnvironment env) {
        return Map.of("revoked", keycloak(env).revoke(env.getArgument("refreshToken")));
    }

    static Object createUser(DataFetchingEnvironment env) {
        KeycloakAuth.SignUp signUp = keycloak(env).signUp(env.getArgument("username"),
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
