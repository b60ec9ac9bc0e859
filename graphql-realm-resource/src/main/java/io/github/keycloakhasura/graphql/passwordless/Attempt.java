package io.github.keycloakhasura.graphql.passwordless;

import io.github.keycloakhasura.graphql.api.ErrorCode;

/**
 * One sign-in through the flow: the proof our code hands to {@link PasswordlessAuthenticator} as an attribute of the
 * Keycloak session (never a request parameter, so a request to Keycloak's own endpoints cannot present one), and
 * what the authenticator found: the refusal, or the accepted user and link token.
 */
final class Attempt {

    static final String ATTRIBUTE = Attempt.class.getName();

    private final LoginProof proof;
    private ErrorCode refusal;
    private String refusalMessage;
    private LoginLinkToken link;
    private boolean accepted;
    private String username;

    Attempt(LoginProof proof) {
        this.proof = proof;
    }

    LoginProof proof() {
        return proof;
    }

    void refuse(ErrorCode code, String message) {
        this.refusal = code;
        this.refusalMessage = message;
    }

    ErrorCode refusal() {
        return refusal;
    }

    String refusalMessage() {
        return refusalMessage;
    }

    void accept(LoginLinkToken token, String username) {
        this.accepted = true;
        this.link = token;
        this.username = username;
    }

    /** The user whose link or code was right (whatever came after it: OTP, required actions), else null. */
    String acceptedUsername() {
        return accepted ? username : null;
    }

    boolean accepted() {
        return accepted;
    }

    /** The verified link token (loginWithLink), else null. */
    LoginLinkToken link() {
        return link;
    }
}
