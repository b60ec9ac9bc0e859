package io.github.keycloakhasura.graphql.fetchers;

import graphql.schema.PropertyDataFetcher;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.TypeRuntimeWiring;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.ContextFetcher;

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
                        .dataFetcher("user", UserFetchers::user)
                        .dataFetcher("sessions", AccountFetchers::sessions))
                .type("Mutation", type -> type
                        .dataFetcher("createUser", AuthFetchers::createUser)
                        .dataFetcher("passwordChange", AccountFetchers::passwordChange)
                        .dataFetcher("totpSetup", AccountFetchers::totpSetup)
                        .dataFetcher("totpConfirm", AccountFetchers::totpConfirm)
                        .dataFetcher("totpRemove", AccountFetchers::totpRemove)
                        .dataFetcher("logout", AccountFetchers::logout)
                        .dataFetcher("updateAccount", AccountFetchers::updateAccount)
                        .dataFetcher("deleteAccount", AccountFetchers::deleteAccount))
                // The token answers' fields read straight from the record (the default looks them up by name).
                .type("ObtainJSONWebToken", Wiring::tokens)
                .type("Refresh", Wiring::tokens)
                .type("PasswordChange", Wiring::tokens)
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

    private static TypeRuntimeWiring.Builder tokens(TypeRuntimeWiring.Builder type) {
        return type
                .dataFetcher("token", PropertyDataFetcher.fetching(Tokens::token))
                .dataFetcher("refreshToken", PropertyDataFetcher.fetching(Tokens::refreshToken))
                .dataFetcher("payload", PropertyDataFetcher.fetching(Tokens::payload))
                .dataFetcher("refreshExpiresIn", PropertyDataFetcher.fetching(Tokens::refreshExpiresIn))
                .dataFetcher("expiresIn", PropertyDataFetcher.fetching(Tokens::expiresIn))
                .dataFetcher("idToken", PropertyDataFetcher.fetching(Tokens::idToken));
    }
}
