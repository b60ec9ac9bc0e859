package io.github.keycloakhasura.graphql.signup;

import io.github.keycloakhasura.graphql.api.SignUp;

/**
 * createUser: self sign-up. Who may: anyone, when the realm allows registration; an address that has an account is
 * answered as a new one would be (no enumeration).
 */
public interface SignUpPort {

    /** The new user (as Keycloak creates it) and its tokens, or no tokens while its email waits for verification. */
    SignUp signUp(String username, String password, String email, String firstName, String lastName);
}
