package io.github.keycloakhasura.graphql.passwordless;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.passwordless.passkeys.PasskeyFetchers;

import java.util.Map;

/** sendLoginLink, loginWithLink, loginWithCode and passkeyLogin: each reads its arguments and asks the {@link Passwordless} port. */
public final class PasswordlessFetchers {

    private PasswordlessFetchers() {
    }

    public static Object sendLoginLink(DataFetchingEnvironment env) {
        return Map.of("success", port(env).sendLoginLink(env.getArgument("email")));
    }

    public static Object loginWithLink(DataFetchingEnvironment env) {
        return port(env).login(new LoginProof.Link(env.getArgument("token"), env.getArgument("otp")));
    }

    public static Object loginWithCode(DataFetchingEnvironment env) {
        return port(env).login(new LoginProof.Code(env.getArgument("email"), env.getArgument("code"), env.getArgument("otp")));
    }

    public static Object passkeyLogin(DataFetchingEnvironment env) {
        return port(env).login(new LoginProof.Passkey(PasskeyFetchers.credential(env), env.getArgument("otp")));
    }

    private static Passwordless port(DataFetchingEnvironment env) {
        return RequestContext.port(env, Passwordless.class);
    }
}
