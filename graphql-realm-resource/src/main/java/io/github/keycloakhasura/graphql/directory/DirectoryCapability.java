package io.github.keycloakhasura.graphql.directory;

import graphql.schema.PropertyDataFetcher;
import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.ContextFetcher;

/**
 * The user directory: whoami, users, usersPage, user (directory.graphqls) and the fields of {@code User} (declared
 * in the core schema, shared by every answer with a user): {@link UserFetchers}, asking {@code api.Backend}, whose
 * adapter decides who may see whom ({@code requireUserViewer}).
 */
public final class DirectoryCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(DirectoryCapability.class, "directory.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                        .dataFetcher("whoami", UserFetchers::whoami)
                        .dataFetcher("users", UserFetchers::users)
                        .dataFetcher("usersPage", UserFetchers::usersPage)
                        .dataFetcher("user", UserFetchers::user))
                .type("User", type -> type
                        // Plain accessors instead of the reflective default: a page of 50 users has 400 such fields.
                        .dataFetcher("id", PropertyDataFetcher.fetching(UserView::id))
                        .dataFetcher("username", PropertyDataFetcher.fetching(UserView::username))
                        .dataFetcher("email", PropertyDataFetcher.fetching(UserView::email))
                        .dataFetcher("firstName", PropertyDataFetcher.fetching(UserView::firstName))
                        .dataFetcher("lastName", PropertyDataFetcher.fetching(UserView::lastName))
                        .dataFetcher("emailVerified", PropertyDataFetcher.fetching(UserView::emailVerified))
                        .dataFetcher("isActive", PropertyDataFetcher.fetching(UserView::isActive))
                        .dataFetcher("dateJoined", PropertyDataFetcher.fetching(UserView::dateJoined))
                        .dataFetcher("hasura", ContextFetcher.of(UserView.class, UserFetchers::hasura))
                        .dataFetcher("roles", ContextFetcher.of(UserView.class, UserFetchers::roles))
                        .dataFetcher("profile", ContextFetcher.of(UserView.class, UserFetchers::profile)));
    }
}
