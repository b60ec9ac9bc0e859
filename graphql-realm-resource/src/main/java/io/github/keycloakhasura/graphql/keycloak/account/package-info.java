/**
 * The caller's own account (issue 14, bearer half): password change, TOTP, sessions, profile, deletion, and what a
 * login that Keycloak refused for pending required actions is told. Everything goes through Keycloak's own
 * providers (credential manager, password policy, {@code OTPCredentialProvider}, user profile, brute-force
 * protector, {@code AuthenticationManager.backchannelLogout}, {@code TokenManager}) and emits the events Keycloak's
 * own pages emit.
 */
package io.github.keycloakhasura.graphql.keycloak.account;
