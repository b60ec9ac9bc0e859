package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.Tokens;

/**
 * What tokenAuth's password grant came to in its transaction: tokens, or a refusal. A refusal is a value, not an
 * exception, while the transaction runs, so what the login completed (a new password, a TOTP offer) commits.
 */
sealed interface LoginOutcome {

    /** Keycloak issued tokens. */
    record Issued(Tokens tokens) implements LoginOutcome {
    }

    /** Keycloak refused (or asks for more); {@code error} is the answer. */
    record Refused(GraphqlException error) implements LoginOutcome {
    }

    /** Tokens, or ACTION_REQUIRED / OTP_REQUIRED, which Keycloak's flow reaches only past the password. */
    default boolean passwordAccepted() {
        if (this instanceof Refused refused) {
            return refused.error().code() == ErrorCode.ACTION_REQUIRED || refused.error().code() == ErrorCode.OTP_REQUIRED;
        }
        return true;
    }

    /** The tokens, or the refusal thrown (after the transaction). */
    default Tokens tokensOrThrow() {
        if (this instanceof Refused refused) {
            throw refused.error();
        }
        return ((Issued) this).tokens();
    }
}
