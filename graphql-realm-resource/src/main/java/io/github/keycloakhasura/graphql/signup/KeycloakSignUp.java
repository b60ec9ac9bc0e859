package io.github.keycloakhasura.graphql.signup;

import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.keycloak.KeycloakBackend;

/** {@link SignUpPort} on Keycloak: its registration, user profile and password grant ({@code KeycloakBackend#signUp}). */
public record KeycloakSignUp(KeycloakBackend keycloak) implements SignUpPort {

    @Override
    public SignUp signUp(String username, String password, String email, String firstName, String lastName) {
        return keycloak.signUp(username, password, email, firstName, lastName);
    }
}
