package io.github.keycloakhasura.graphql;

import graphql.schema.GraphQLSchema;
import graphql.schema.PropertyDataFetcher;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.TypeRuntimeWiring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** schema.graphqls plus the fetchers: the executable schema, built once by the factory. */
final class Wiring {

    static final String SCHEMA_RESOURCE = "schema.graphqls";

    private Wiring() {
    }

    static GraphQLSchema schema() {
        TypeDefinitionRegistry registry = new SchemaParser().parse(sdl());
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(JsonScalar.create())
                .type("Query", type -> type
                        .dataFetcher("whoami", UserFetchers::whoami)
                        .dataFetcher("users", UserFetchers::users)
                        .dataFetcher("usersPage", UserFetchers::usersPage)
                        .dataFetcher("user", UserFetchers::user)
                        .dataFetcher("sessions", AccountFetchers::sessions))
                .type("Mutation", type -> type
                        .dataFetcher("tokenAuth", AuthFetchers.dataFetcher("tokenAuth"))
                        .dataFetcher("refreshToken", AuthFetchers.dataFetcher("refreshToken"))
                        .dataFetcher("verifyToken", AuthFetchers.dataFetcher("verifyToken"))
                        .dataFetcher("revokeToken", AuthFetchers.dataFetcher("revokeToken"))
                        .dataFetcher("createUser", AuthFetchers.dataFetcher("createUser"))
                        .dataFetcher("sendPasswordResetEmail", AuthFetchers.dataFetcher("sendPasswordResetEmail"))
                        .dataFetcher("passwordReset", AuthFetchers.dataFetcher("passwordReset"))
                        .dataFetcher("resendActivationEmail", AuthFetchers.dataFetcher("resendActivationEmail"))
                        .dataFetcher("verifyAccount", AuthFetchers.dataFetcher("verifyAccount"))
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
                        .dataFetcher("id", PropertyDataFetcher.fetching(KeycloakAuth.UserView::id))
                        .dataFetcher("username", PropertyDataFetcher.fetching(KeycloakAuth.UserView::username))
                        .dataFetcher("email", PropertyDataFetcher.fetching(KeycloakAuth.UserView::email))
                        .dataFetcher("firstName", PropertyDataFetcher.fetching(KeycloakAuth.UserView::firstName))
                        .dataFetcher("lastName", PropertyDataFetcher.fetching(KeycloakAuth.UserView::lastName))
                        .dataFetcher("emailVerified", PropertyDataFetcher.fetching(KeycloakAuth.UserView::emailVerified))
                        .dataFetcher("isActive", PropertyDataFetcher.fetching(KeycloakAuth.UserView::isActive))
                        .dataFetcher("dateJoined", PropertyDataFetcher.fetching(KeycloakAuth.UserView::dateJoined))
                        .dataFetcher("hasura", PropertyDataFetcher.fetching(KeycloakAuth.UserView::hasura))
                        .dataFetcher("roles", ContextFetcher.of(KeycloakAuth.UserView.class, UserFetchers::roles))
                        .dataFetcher("profile", ContextFetcher.of(KeycloakAuth.UserView.class, UserFetchers::profile)))
                .build();
        return new SchemaGenerator().makeExecutableSchema(registry, wiring);
    }

    private static TypeRuntimeWiring.Builder tokens(TypeRuntimeWiring.Builder type) {
        return type
                .dataFetcher("token", PropertyDataFetcher.fetching(KeycloakAuth.Tokens::token))
                .dataFetcher("refreshToken", PropertyDataFetcher.fetching(KeycloakAuth.Tokens::refreshToken))
                .dataFetcher("payload", PropertyDataFetcher.fetching(KeycloakAuth.Tokens::payload))
                .dataFetcher("refreshExpiresIn", PropertyDataFetcher.fetching(KeycloakAuth.Tokens::refreshExpiresIn))
                .dataFetcher("expiresIn", PropertyDataFetcher.fetching(KeycloakAuth.Tokens::expiresIn))
                .dataFetcher("idToken", PropertyDataFetcher.fetching(KeycloakAuth.Tokens::idToken));
    }

    static String sdl() {
        try (InputStream in = Wiring.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
