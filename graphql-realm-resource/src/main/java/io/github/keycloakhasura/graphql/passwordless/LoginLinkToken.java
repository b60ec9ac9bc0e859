package io.github.keycloakhasura.graphql.passwordless;

import org.keycloak.authentication.actiontoken.DefaultActionToken;

import java.util.UUID;

/**
 * The token of a sign-in link: one of Keycloak's action tokens (signed with the realm's keys, its action-token
 * lifespan, a nonce), for one user and the address it was sent to, issued for the configured client.
 */
public class LoginLinkToken extends DefaultActionToken {

    public static final String TOKEN_TYPE = "graphql-login-link";

    public LoginLinkToken(String userId, String email, int absoluteExpirationInSecs, String clientId) {
        super(userId, TOKEN_TYPE, absoluteExpirationInSecs, UUID.randomUUID());
        setEmail(email);
        this.issuedFor = clientId;
    }

    /** For Jackson (token verification). */
    public LoginLinkToken() {
    }
}
