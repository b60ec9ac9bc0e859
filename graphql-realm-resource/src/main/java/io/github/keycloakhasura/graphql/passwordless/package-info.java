/**
 * Passwordless sign-in (magic link and emailed code): the fetchers ({@link
 * io.github.keycloakhasura.graphql.passwordless.PasswordlessFetchers}), the typed port they call ({@link
 * io.github.keycloakhasura.graphql.passwordless.Passwordless}) and its Keycloak adapter ({@link
 * io.github.keycloakhasura.graphql.passwordless.KeycloakPasswordless}), which runs Keycloak's authentication flow
 * {@value io.github.keycloakhasura.graphql.passwordless.PasswordlessFlow#ALIAS} with this package's authenticator
 * ({@link io.github.keycloakhasura.graphql.passwordless.PasswordlessAuthenticator}) and issues tokens with Keycloak's
 * token manager, so brute-force protection, events, required actions, OTP and every protocol mapper apply.
 */
package io.github.keycloakhasura.graphql.passwordless;
