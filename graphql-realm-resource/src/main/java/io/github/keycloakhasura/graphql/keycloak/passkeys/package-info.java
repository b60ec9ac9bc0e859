/**
 * Passkeys on Keycloak, shared by the capabilities that check one: a WebAuthn assertion's check ({@link
 * io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeyAssertion}: passkeyLogin's sign-in step and elevate's
 * passkey proof), the single-use challenges, the realm's WebAuthn Passwordless policy, the credential JSON, the
 * signature counter and the last use. The credentials are Keycloak's own {@code webauthn-passwordless} ones.
 */
package io.github.keycloakhasura.graphql.keycloak.passkeys;
