package io.github.keycloakhasura.graphql.stepup;

import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;

/**
 * Step-up: {@code elevate}. The caller of a session proves itself again (one proof), and gets new tokens of the
 * SAME session from Keycloak's refresh grant; the Hasura mapper marks the tokens issued within its elevation window
 * with {@code x-hasura-auth-elevated} ({@code mapper.Elevation}).
 */
public interface StepUp {

    /** The one proof {@code elevate} takes. */
    sealed interface Proof permits Proof.Password, Proof.Otp, Proof.Passkey {

        /** The user's current password. */
        record Password(String password) implements Proof {
        }

        /** A current one-time code of one of the user's OTP authenticators. */
        record Otp(String code) implements Proof {
        }

        /** A WebAuthn assertion of one of the user's passkeys (JSON as the browser returns it). */
        record Passkey(Object assertion) implements Proof {
        }

        /**
         * The one proof among the arguments: BAD_USER_INPUT when none or more than one is given (blank strings
         * count as not given).
         */
        static Proof of(String password, String otp, Object passkey) {
            Proof found = null;
            int given = 0;
            if (password != null && !password.isEmpty()) {
                found = new Password(password);
                given++;
            }
            if (otp != null && !otp.isBlank()) {
                found = new Otp(otp.trim());
                given++;
            }
            if (passkey != null) {
                found = new Passkey(passkey);
                given++;
            }
            if (given != 1) {
                throw io.github.keycloakhasura.graphql.api.GraphqlException.badInput(
                        "elevate takes exactly one proof: password, otp or passkey");
            }
            return found;
        }
    }

    /**
     * New tokens of {@code refreshToken}'s session once {@code proof} is right; UNAUTHENTICATED for a wrong proof
     * (a failed login for Keycloak's brute-force protector) or an invalid refresh token.
     */
    Tokens elevate(String refreshToken, Proof proof, TransactionMode mode);
}
