/**
 * The account capability: the caller's own account (password, TOTP, sessions, profile, deletion): account.graphqls,
 * {@code AccountCapability}, the port {@code Accounts}/{@code Account}, its adapter {@code KeycloakAccount}.
 */
package io.github.keycloakhasura.graphql.account;
