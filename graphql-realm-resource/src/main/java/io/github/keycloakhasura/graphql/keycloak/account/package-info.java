/**
 * The account lifecycle on Keycloak: emails and action tokens (password reset, email verification, email change,
 * sign-up notices; {@code AccountMailer}, {@code AccountEmailJobs}, {@code ActionTokens}), required actions and OTP at
 * login ({@code LoginActions}, {@code LoginCompletion}), the caller's own account (password change, TOTP, sessions,
 * profile, deletion), and what a bearer token alone may not do ({@code Reauthentication}, {@code EmailChange},
 * {@code HasuraAttributes}). To be split into the capabilities {@code login}, {@code email} and {@code account}. Everything goes through Keycloak's own
 * providers (credential manager, password policy, {@code OTPCredentialProvider}, user profile, brute-force
 * protector, {@code AuthenticationManager.backchannelLogout}, {@code TokenManager}) and emits the events Keycloak's
 * own pages emit.
 */
package io.github.keycloakhasura.graphql.keycloak.account;
