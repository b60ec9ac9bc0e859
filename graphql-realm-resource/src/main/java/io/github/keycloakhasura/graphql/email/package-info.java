/** The account-email capability: password reset, email verification, email change links (email.graphqls, {@code EmailPort}, {@code KeycloakEmail}). */
package io.github.keycloakhasura.graphql.email;
