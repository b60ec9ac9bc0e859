package io.github.keycloakhasura.graphql.fetchers;

import graphql.schema.PropertyDataFetcher;
import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.ContextFetcher;
import io.github.keycloakhasura.graphql.capability.TokenFields;

/**
 * The operations not yet in a capability package of their own: schema.graphqls (also the schema's root types,
 * {@code JSON}, the token answers and {@code User}) and their fetchers. The other capabilities extend it.
 */
public final class Wiring implements Capability {

    public static final String SCHEMA_RESOURCE = "schema.graphqls";

    @Override
    public String sdl() {
        return Capability.resource(Wiring.class, SCHEMA_RESOURCE);
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.scalar(JsonScalar.create())
                .type("Query", type -> type
                        .dataFetcher("whoami", UserFetchers::whoami)
                        .dataFetcher("users", UserFetchers::users)
                        .dataFetcher("usersPage", UserFetchers::usersPage)
                        .dataFetcher("user", UserFetchers::user))
                // The token answers' fields read straight from the record (the default looks them up by name).
                .type("ObtainJSONWebToken", TokenFields::wire)
                .type("Refresh", TokenFields::wire)
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
