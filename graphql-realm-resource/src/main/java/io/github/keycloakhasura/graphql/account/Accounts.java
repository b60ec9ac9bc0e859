package io.github.keycloakhasura.graphql.account;

import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.TransactionMode;

/** The account capability's port: the caller's own {@link Account}, its operations in {@code mode}. */
public interface Accounts {

    /** {@code caller}: the request's verified bearer ({@code RequestContext#caller}, UNAUTHENTICATED otherwise). */
    Account of(Caller caller, TransactionMode mode);
}
