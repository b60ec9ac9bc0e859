package io.github.keycloakhasura.graphql.passwordless;

/** What a caller shows to sign in without a password; {@code otp} is the user's one-time code when they have OTP. */
public sealed interface LoginProof {

    String otp();

    /** loginWithLink: the {@code token} of the emailed link. */
    record Link(String token, String otp) implements LoginProof {
    }

    /** loginWithCode: the address the code was sent to and the 6-digit code. */
    record Code(String email, String code, String otp) implements LoginProof {
    }

    /** passkeyLogin: the JSON of {@code navigator.credentials.get()}'s result (checked by {@code PasskeyAssertion}). */
    record Passkey(java.util.Map<String, Object> credential, String otp) implements LoginProof {
    }
}
