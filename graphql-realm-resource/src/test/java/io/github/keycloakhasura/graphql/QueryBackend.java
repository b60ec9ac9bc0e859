package io.github.keycloakhasura.graphql;

import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;

/** A test {@link Backend} for queries: the anonymous mutations are not expected and refuse. */
public interface QueryBackend extends Backend {





}
