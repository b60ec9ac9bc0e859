package io.github.keycloakhasura.graphql.fetchers;

import graphql.schema.GraphQLSchema;
import graphql.schema.PropertyDataFetcher;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.TypeRuntimeWiring;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.engine.ContextFetcher;
import io.github.keycloakhasura.graphql.organizations.OrganizationFetchers;
import io.github.keycloakhasura.graphql.organizations.OrganizationsPort;
import io.github.keycloakhasura.graphql.passkeys.PasskeyFetchers;
import io.github.keycloakhasura.graphql.passwordless.PasswordlessFetchers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** schema.graphqls plus the fetchers: the executable schema, built once by the factory. */
public final class Wiring {

    public static final String SCHEMA_RESOURCE = "schema.graphqls";

    private Wiring() {
    }

    public static GraphQLSchema schema() {
        TypeDefinitionRegistry registry = new SchemaParser().parse(sdl());
        OrganizationFetchers organizations = new OrganizationFetchers(new OrganizationRequest());
        PasskeyFetchers passkeys = new PasskeyFetchers(new PasskeyRequest());
        RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(JsonScalar.create())
                .type("Query", type -> type
                        .dataFetcher("whoami", UserFetchers::whoami)
                        .dataFetcher("users", UserFetchers::users)
                        .dataFetcher("usersPage", UserFetchers::usersPage)
                        .dataFetcher("user", UserFetchers::user)
                        .dataFetcher("sessions", AccountFetchers::sessions)
                        .dataFetcher("organizations", organizations::organizations)
                        .dataFetcher("organizationMembers", organizations::organizationMembers)
                        .dataFetcher("passkeys", passkeys::passkeys))
                .type("Mutation", type -> type
                        .dataFetcher("tokenAuth", organizations::tokenAuth)
                        .dataFetcher("switchOrganization", organizations::switchOrganization)
                        .dataFetcher("inviteOrganizationMember", organizations::inviteOrganizationMember)
                        .dataFetcher("acceptOrganizationInvitation", organizations::acceptOrganizationInvitation)
                        .dataFetcher("removeOrganizationMember", organizations::removeOrganizationMember)
                        .dataFetcher("refreshToken", AuthFetchers::refreshToken)
                        .dataFetcher("verifyToken", AuthFetchers::verifyToken)
                        .dataFetcher("revokeToken", AuthFetchers::revokeToken)
                        .dataFetcher("createUser", AuthFetchers::createUser)
                        .dataFetcher("sendPasswordResetEmail", AuthFetchers::sendPasswordResetEmail)
                        .dataFetcher("passwordReset", AuthFetchers::passwordReset)
                        .dataFetcher("resendActivationEmail", AuthFetchers::resendActivationEmail)
                        .dataFetcher("verifyAccount", AuthFetchers::verifyAccount)
                        .dataFetcher("confirmEmailChange", AuthFetchers::confirmEmailChange)
                        .dataFetcher("passwordChange", AccountFetchers::passwordChange)
                        .dataFetcher("totpSetup", AccountFetchers::totpSetup)
                        .dataFetcher("totpConfirm", AccountFetchers::totpConfirm)
                        .dataFetcher("totpRemove", AccountFetchers::totpRemove)
                        .dataFetcher("logout", AccountFetchers::logout)
                        .dataFetcher("updateAccount", AccountFetchers::updateAccount)
                        .dataFetcher("deleteAccount", AccountFetchers::deleteAccount)
                        .dataFetcher("sendLoginLink", PasswordlessFetchers::sendLoginLink)
                        .dataFetcher("loginWithLink", PasswordlessFetchers::loginWithLink)
                        .dataFetcher("loginWithCode", PasswordlessFetchers::loginWithCode)
                        .dataFetcher("passkeyRegistrationOptions", passkeys::registrationOptions)
                        .dataFetcher("passkeyRegister", passkeys::register)
                        .dataFetcher("passkeyLoginOptions", passkeys::loginOptions)
                        .dataFetcher("passkeyLogin", PasswordlessFetchers::passkeyLogin)
                        .dataFetcher("passkeyRemove", passkeys::remove))
                // The token answers' fields read straight from the record (the default looks them up by name).
                .type("ObtainJSONWebToken", Wiring::tokens)
                .type("Refresh", Wiring::tokens)
                .type("PasswordChange", Wiring::tokens)
                .type("Organization", type -> type
                        .dataFetcher("id", PropertyDataFetcher.fetching(OrganizationsPort.Organization::id))
                        .dataFetcher("alias", PropertyDataFetcher.fetching(OrganizationsPort.Organization::alias))
                        .dataFetcher("name", PropertyDataFetcher.fetching(OrganizationsPort.Organization::name))
                        .dataFetcher("domains", PropertyDataFetcher.fetching(OrganizationsPort.Organization::domains))
                        .dataFetcher("roles", PropertyDataFetcher.fetching(OrganizationsPort.Organization::roles))
                        .dataFetcher("active", PropertyDataFetcher.fetching(OrganizationsPort.Organization::active)))
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
                        .dataFetcher("profile", ContextFetcher.of(UserView.class, UserFetchers::profile)))
                .build();
        return new SchemaGenerator().makeExecutableSchema(registry, wiring);
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

    public static String sdl() {
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
