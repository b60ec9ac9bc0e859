package io.github.keycloakhasura.graphql.organizations;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.capability.Arguments;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.capability.Transactions;

/** The organization fetchers' view of a request: its {@link RequestContext}. */
final class OrganizationRequest implements OrganizationFetchers.Request {

    @Override
    public OrganizationsPort organizations(DataFetchingEnvironment env) {
        return RequestContext.port(env, OrganizationsPort.class);
    }

    @Override
    public Caller caller(DataFetchingEnvironment env) {
        return RequestContext.of(env).caller();
    }

    @Override
    public TransactionMode transaction(DataFetchingEnvironment env) {
        return Transactions.of(env);
    }

    @Override
    public PendingActionInput pending(DataFetchingEnvironment env) {
        return Arguments.pending(env);
    }

    @Override
    public int maxPageSize(DataFetchingEnvironment env) {
        return RequestContext.of(env).config().maxPageSize();
    }
}
