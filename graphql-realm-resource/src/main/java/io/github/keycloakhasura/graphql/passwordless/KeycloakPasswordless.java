package io.github.keycloakhasura.graphql.passwordless;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.keycloak.GrantChecks;
import io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeySettings;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessTokenResponse;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The {@link Passwordless} port on Keycloak, one per HTTP request, for the configured client: each operation in a
 * Keycloak transaction of its own (as tokenAuth), the realm's switches checked first.
 */
public final class KeycloakPasswordless implements Passwordless {

    /** A transaction of its own ({@code TransactionRunner#own}). */
    public interface Transactions {
        <T> T own(String name, Function<KeycloakSession, T> work);
    }

    private final String clientId;
    private final GrantChecks checks;
    private final Transactions transactions;
    private final Function<AccessTokenResponse, Tokens> tokens;
    private final BiConsumer<String, String> loginRelease;

    /**
     * {@code loginRelease(clientId, username)} returns once Keycloak's brute-force protector has let go of the user
     * after a login (as tokenAuth waits), so the next sign-in of the same user is not refused as "in progress".
     */
    public KeycloakPasswordless(String clientId, GrantChecks checks, Transactions transactions,
                                Function<AccessTokenResponse, Tokens> tokens, BiConsumer<String, String> loginRelease) {
        this.clientId = clientId;
        this.checks = checks;
        this.transactions = transactions;
        this.tokens = tokens;
        this.loginRelease = loginRelease;
    }

    @Override
    public boolean sendLoginLink(String email) {
        return transactions.own("sendLoginLink", s -> LoginLinks.send(s, clientId, email));
    }

    @Override
    public Tokens login(LoginProof proof) {
        String name;
        if (proof instanceof LoginProof.Code code) {
            requireNotBlank(code.email(), "email");
            requireNotBlank(code.code(), "code");
            name = "loginWithCode";
        } else if (proof instanceof LoginProof.Link link) {
            requireNotBlank(link.token(), "token");
            name = "loginWithLink";
        } else {
            name = "passkeyLogin";
        }
        checks.requireAllowedClient(clientId);
        if (proof instanceof LoginProof.Code code) {
            // A code typed again at once after a wrong one: Keycloak's blocking brute-force protector still holds the
            // user until the last failure's bookkeeping (another thread) is done, and would refuse the right code
            // unchecked. Every code attempt asks first (one probe, known address or not); only one following a
            // failure of this user by milliseconds waits, as long as that bookkeeping takes. A locked user is not
            // waited for: the flow refuses it.
            loginRelease.accept(clientId, code.email());
        }
        Attempt attempt = new Attempt(proof);
        Object outcome = transactions.own(name, s -> {
            requireOn(proof, s.getContext().getRealm());
            GrantChecks.requirePublicClient(s, clientId);
            return PasswordlessGrant.run(s, s.getContext().getRealm().getClientByClientId(clientId), attempt);
        });
        if (attempt.acceptedUsername() != null) {
            // Only when the link or code was right: a wrong one's answer waits for nothing that tells users apart.
            loginRelease.accept(clientId, attempt.acceptedUsername());
        }
        if (outcome instanceof GraphqlException e) {
            throw e;
        }
        return tokens.apply((AccessTokenResponse) outcome);
    }

    private static void requireOn(LoginProof proof, RealmModel realm) {
        if (proof instanceof LoginProof.Passkey) {
            PasskeySettings.requireOn(realm);
        }
        PasswordlessSettings settings = PasswordlessSettings.of(realm);
        if (proof instanceof LoginProof.Link && !settings.link()) {
            throw GraphqlException.forbidden("Sign-in links are off in this realm (realm attribute " + PasswordlessSettings.LINK + ")");
        }
        if (proof instanceof LoginProof.Code && !settings.code()) {
            throw GraphqlException.forbidden("Emailed sign-in codes are off in this realm (realm attribute " + PasswordlessSettings.CODE + ")");
        }
    }

    private static void requireNotBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw GraphqlException.badInput(name + " must not be empty");
        }
    }
}
