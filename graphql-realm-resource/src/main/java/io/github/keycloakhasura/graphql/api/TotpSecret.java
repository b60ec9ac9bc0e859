package io.github.keycloakhasura.graphql.api;

/** totpSetup's answer: the pending secret, base32 for manual entry, and its {@code otpauth://totp/...} URI. */
public record TotpSecret(String secret, String uri) {
}
