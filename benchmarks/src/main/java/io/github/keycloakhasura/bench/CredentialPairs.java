package io.github.keycloakhasura.bench;

import java.util.List;

/**
 * The pairs of the passwordless sign-ins (issue 22), the personal access tokens (issue 23) and sign-up with the
 * Hasura sync (issue 24), appended to {@link Pairs}' table. Their {@code --only} names are the constants.
 */
final class CredentialPairs {

    static final String PASSKEY_LOGIN = "passkey-login";
    static final String LOGIN_CODE = "login-code";
    static final String PAT_WEBHOOK = "pat-webhook";
    static final String PAT_LOGIN = "pat-login";
    static final String SIGN_UP_SYNC = "sign-up-sync";

    private CredentialPairs() {
    }

    /** Those of them {@code --only} asks for. */
    static List<Pair> all(Pairs pairs) {
        Options options = pairs.options();
        int workers = options.concurrency;
        List<Pair> list = new java.util.ArrayList<>();
        if (options.wants(PASSKEY_LOGIN)) {
            BenchPasskeys passkeys = new BenchPasskeys(pairs.realm(), pairs.baseUrl(), workers);
            list.add(new Pair(PASSKEY_LOGIN, "passkey sign-in", "password grant at `/token`",
                    "`passkeyLoginOptions` + `passkeyLogin` (signed in the load generator)", Pair.Kind.NONE, 0,
                    () -> passkeys.passkeyLogin(pairs.passwordGrants())));
        }
        if (options.wants(LOGIN_CODE)) {
            // Seed users of realm app: what the import wrote after the load users and the manager.
            int seedUsers = options.smallUsers - workers * (1 + BenchRealm.LOGIN_USERS_PER_WORKER) - 1;
            BenchLoginCodes codes = new BenchLoginCodes(pairs.realm(), pairs.baseUrl(), workers, seedUsers, pairs.receivers().smtp);
            Pair pair = new Pair(LOGIN_CODE, "sign-in with an emailed code (code emailed before the window)",
                    "password grant at `/token`", "`loginWithCode`", Pair.Kind.NONE, 0,
                    () -> codes.loginWithCode(pairs.passwordGrants()));
            pair.singleUse = true;
            list.add(pair);
        }
        if (options.wants(PAT_WEBHOOK) || options.wants(PAT_LOGIN)) {
            BenchPersonalAccessTokens pats = new BenchPersonalAccessTokens(pairs.realm(), pairs.baseUrl(), workers);
            if (options.wants(PAT_WEBHOOK)) {
                list.add(new Pair(PAT_WEBHOOK, "Hasura auth webhook with a personal access token", "`/userinfo` (access token)",
                        "`GET /hasura/webhook` (bearer PAT)", Pair.Kind.RATIO, 1.0, pats::webhook));
            }
            if (options.wants(PAT_LOGIN)) {
                list.add(new Pair(PAT_LOGIN, "`tokenAuthWithPersonalAccessToken`", "refresh grant at `/token`",
                        "`tokenAuthWithPersonalAccessToken`", Pair.Kind.NONE, 0, pats::tokenAuth));
            }
        }
        if (options.wants(SIGN_UP_SYNC)) {
            BenchSignUp signUp = new BenchSignUp(pairs.realm(), pairs.baseUrl(), pairs.receivers().hasura);
            Pair pair = new Pair(SIGN_UP_SYNC, "sign-up with vs. without the Hasura sync", "`createUser`, realm without `hasura-sync`",
                    "`createUser`, realm with `hasura-sync` (outbox → Hasura)", Pair.Kind.RATIO, 0.95, signUp::signUp);
            // A few sign-ups a second (each hashes a password): its 5 % target wants the mapper pair's longer measurement.
            pair.roundsFactor = Pair.MAPPER_ROUNDS_FACTOR;
            list.add(pair);
        }
        return list;
    }
}
