/** The sign-up capability: createUser (signup.graphqls, {@code SignUpCapability}, {@code SignUpPort}, {@code KeycloakSignUp}). */
package io.github.keycloakhasura.graphql.signup;
