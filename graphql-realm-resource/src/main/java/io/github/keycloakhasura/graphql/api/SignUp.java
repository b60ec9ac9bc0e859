package io.github.keycloakhasura.graphql.api;

/** A newly registered user and the tokens it was logged in with ({@code null} while its email waits for verification). */
public record SignUp(UserView user, Tokens tokens) {
}
