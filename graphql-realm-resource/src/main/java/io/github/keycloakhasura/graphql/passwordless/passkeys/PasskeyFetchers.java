package io.github.keycloakhasura.graphql.passwordless.passkeys;

import io.github.keycloakhasura.graphql.keycloak.passkeys.CredentialJson;
import graphql.schema.DataFetchingEnvironment;

import java.util.List;
import java.util.Map;

/**
 * passkeyRegistrationOptions, passkeyRegister, passkeyLoginOptions, passkeys and passkeyRemove: each reads its
 * arguments and asks the {@link Passkeys} port. What they need of the request comes through {@link Request}.
 * (passkeyLogin is {@code PasswordlessFetchers#passkeyLogin}: it runs the passwordless sign-in flow.)
 */
public final class PasskeyFetchers {

    /** The request as these fetchers see it (implemented by {@code graphql.fetchers}). */
    public interface Request {
        Passkeys passkeys(DataFetchingEnvironment env);

        io.github.keycloakhasura.graphql.api.Caller caller(DataFetchingEnvironment env);

        io.github.keycloakhasura.graphql.api.TransactionMode transaction(DataFetchingEnvironment env);
    }

    private final Request request;

    public PasskeyFetchers(Request request) {
        this.request = request;
    }

    public Object registrationOptions(DataFetchingEnvironment env) {
        return request.passkeys(env).registrationOptions(request.caller(env));
    }

    public Object register(DataFetchingEnvironment env) {
        return success(request.passkeys(env).register(request.caller(env), credential(env), env.getArgument("label"),
                env.getArgument("password"), request.transaction(env)));
    }

    public Object loginOptions(DataFetchingEnvironment env) {
        return request.passkeys(env).loginOptions(env.getArgument("username"));
    }

    public Object passkeys(DataFetchingEnvironment env) {
        List<Passkeys.Passkey> passkeys = request.passkeys(env).list(request.caller(env));
        return passkeys.stream().map(p -> {
            Map<String, Object> row = new java.util.HashMap<>();
            row.put("id", p.id());
            row.put("label", p.label());
            row.put("createdAt", p.createdAt());
            row.put("lastUsedAt", p.lastUsedAt());
            return row;
        }).toList();
    }

    public Object remove(DataFetchingEnvironment env) {
        return success(request.passkeys(env).remove(request.caller(env), env.getArgument("id"), env.getArgument("password"),
                request.transaction(env)));
    }

    /** The credential argument: a JSON object (the JSON scalar gives maps), else INVALID_CREDENTIAL. */
    public static Map<String, Object> credential(DataFetchingEnvironment env) {
        return CredentialJson.object(env.getArgument("credential"));
    }

    private static Map<String, Object> success(boolean success) {
        return Map.of("success", success);
    }
}
