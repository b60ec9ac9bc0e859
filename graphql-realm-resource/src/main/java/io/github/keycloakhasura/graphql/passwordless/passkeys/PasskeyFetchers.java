package io.github.keycloakhasura.graphql.passwordless.passkeys;

import io.github.keycloakhasura.graphql.keycloak.passkeys.CredentialJson;
import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.capability.Transactions;

import java.util.List;
import java.util.Map;

/**
 * passkeyRegistrationOptions, passkeyRegister, passkeyLoginOptions, passkeys and passkeyRemove: each reads its
 * arguments and asks the request's {@link Passkeys} port ({@link RequestContext#port}).
 * (passkeyLogin is {@code PasswordlessFetchers#passkeyLogin}: it runs the passwordless sign-in flow.)
 */
public final class PasskeyFetchers {

    private PasskeyFetchers() {
    }

    static Object registrationOptions(DataFetchingEnvironment env) {
        return port(env).registrationOptions(RequestContext.of(env).caller());
    }

    static Object register(DataFetchingEnvironment env) {
        return success(port(env).register(RequestContext.of(env).caller(), credential(env), env.getArgument("label"),
                env.getArgument("password"), Transactions.of(env)));
    }

    static Object loginOptions(DataFetchingEnvironment env) {
        return port(env).loginOptions(env.getArgument("username"));
    }

    static Object passkeys(DataFetchingEnvironment env) {
        List<Passkeys.Passkey> passkeys = port(env).list(RequestContext.of(env).caller());
        return passkeys.stream().map(p -> {
            Map<String, Object> row = new java.util.HashMap<>();
            row.put("id", p.id());
            row.put("label", p.label());
            row.put("createdAt", p.createdAt());
            row.put("lastUsedAt", p.lastUsedAt());
            return row;
        }).toList();
    }

    static Object remove(DataFetchingEnvironment env) {
        return success(port(env).remove(RequestContext.of(env).caller(), env.getArgument("id"), env.getArgument("password"),
                Transactions.of(env)));
    }

    private static Passkeys port(DataFetchingEnvironment env) {
        return RequestContext.port(env, Passkeys.class);
    }

    /** The credential argument: a JSON object (the JSON scalar gives maps), else INVALID_CREDENTIAL. */
    public static Map<String, Object> credential(DataFetchingEnvironment env) {
        return CredentialJson.object(env.getArgument("credential"));
    }

    private static Map<String, Object> success(boolean success) {
        return Map.of("success", success);
    }
}
