package io.github.keycloakhasura.graphql;

import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;

/** A test {@link Backend} for queries: the anonymous mutations are not expected and refuse. */
public interface QueryBackend extends Backend {

    @Override
    default Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending) {
        throw new UnsupportedOperationException("tokenAuth");
    }




    @Override
    default SignUp signUp(String username, String password, String email, String firstName, String lastName) {
        throw new UnsupportedOperationException("createUser");
    }
}
