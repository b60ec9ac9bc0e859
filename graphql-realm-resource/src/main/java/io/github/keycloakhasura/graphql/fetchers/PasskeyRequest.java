package io.github.keycloakhasura.graphql.fetchers;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.passkeys.PasskeyFetchers;
import io.github.keycloakhasura.graphql.passkeys.Passkeys;

/** The passkey fetchers' view of a request: its {@link RequestContext}. */
final class PasskeyRequest implements PasskeyFetchers.Request {

    @Override
    public Passkeys passkeys(DataFetchingEnvironment env) {
        return RequestContext.of(env).keycloak().passkeys();
    }

    @Override
    public Caller caller(DataFetchingEnvironment env) {
        return RequestContext.of(env).caller();
    }

    @Override
    public TransactionMode transaction(DataFetchingEnvironment env) {
        return Transactions.of(env);
    }
}
