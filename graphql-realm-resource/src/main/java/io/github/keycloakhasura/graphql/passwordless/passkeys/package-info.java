/**
 * Passkeys (WebAuthn passwordless) through GraphQL: the fetchers ({@link
 * io.github.keycloakhasura.graphql.passwordless.passkeys.PasskeyFetchers}), the typed port they call ({@link
 * io.github.keycloakhasura.graphql.passwordless.passkeys.Passkeys}) and its Keycloak adapter ({@link
 * io.github.keycloakhasura.graphql.passwordless.passkeys.KeycloakPasskeys}). Options follow the realm's WebAuthn Passwordless
 * policy, challenges live in Keycloak's single-use object store, webauthn4j (as Keycloak ships it) verifies, and the
 * credentials are Keycloak's own {@code webauthn-passwordless} ones, so they work on Keycloak's login page too.
 * {@code passkeyLogin} runs through {@code graphql.passwordless}'s flow, like loginWithCode; its check ({@link
 * io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeyAssertion}, with the challenges and the policy) is the
 * Keycloak adapter's, shared with {@code elevate}'s passkey proof.
 */
package io.github.keycloakhasura.graphql.passwordless.passkeys;
