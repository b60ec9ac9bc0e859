package io.github.keycloakhasura.graphql.api;

/** The value of {@code errors[].extensions.code} in every GraphQL error this endpoint returns. */
public enum ErrorCode {
    /** No, an invalid, an expired or a revoked token; wrong credentials. */
    UNAUTHENTICATED,
    /** Authenticated, but not allowed (role missing, registration disabled, client not usable here). */
    FORBIDDEN,
    /** The request itself is wrong: syntax, validation, arguments, weak password, duplicate user. */
    BAD_USER_INPUT,
    /** An email link's token (password reset, email verification) that is invalid, expired or already used. */
    INVALID_TOKEN,
    /** An emailed sign-in code (loginWithCode) that is wrong, expired, used, or voided after too many wrong tries. */
    INVALID_CODE,
    /**
     * A passkey response (passkeyRegister, passkeyLogin) that does not verify: malformed, an unknown, expired or used
     * challenge, another origin or rp id, a bad signature or attestation, an unknown passkey, a signature counter that
     * did not grow.
     */
    INVALID_CREDENTIAL,
    /** The requested object does not exist. */
    NOT_FOUND,
    /**
     * The password (and code) were right, but Keycloak requires actions before it issues tokens;
     * {@code extensions.requiredActions} lists them (e.g. {@code UPDATE_PASSWORD}, {@code VERIFY_EMAIL}).
     */
    ACTION_REQUIRED,
    /** The password was right and the user has OTP configured: send {@code otp} as well. */
    OTP_REQUIRED,
    /**
     * The operation changes how the account is secured (its email, its authenticator app) and needs a proof beyond the
     * access token: send the current password ({@code password} argument), or log in again and retry within the
     * realm's re-authentication age (Keycloak's {@code max_auth_age}, 300 s by default).
     */
    REAUTHENTICATION_REQUIRED,
    /**
     * The Hasura claims mapper of the client the answer is computed for has stored options that make no sense (an
     * imported realm: the admin console refuses to save them), so no Hasura session variables can be computed: fields
     * that need them ({@code User.hasura}, {@code profile { role }}) answer this; the message says which option.
     * An admin must fix the mapper.
     */
    INVALID_MAPPER_CONFIG,
    /**
     * The Hasura claims mapper's claims query (session variables from the app's data, {@code hasura.claims-query})
     * failed and its policy is {@code closed}: no token is issued and no session variables are shown; the message says
     * why (a timeout, an HTTP or GraphQL error). Retry later; an admin looks at Hasura or the query.
     */
    CLAIMS_UNAVAILABLE,
    /**
     * The service is temporarily unavailable: its database cannot be reached (restarting, down, no connection free in
     * time). Nothing was changed; retry shortly. Over HTTP a request that fails as a whole this way is a 503 with
     * {@code Retry-After}.
     */
    UNAVAILABLE,
    /** Anything unexpected; details are only in the server log, under the id given in the message. */
    INTERNAL
}
