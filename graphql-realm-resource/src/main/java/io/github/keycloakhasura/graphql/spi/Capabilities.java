package io.github.keycloakhasura.graphql.spi;

import io.github.keycloakhasura.graphql.engine.ExecutableSchema;
import io.github.keycloakhasura.graphql.account.AccountCapability;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.email.EmailCapability;
import io.github.keycloakhasura.graphql.directory.DirectoryCapability;
import io.github.keycloakhasura.graphql.engine.SchemaAssembly;
import io.github.keycloakhasura.graphql.fetchers.Wiring;
import io.github.keycloakhasura.graphql.login.LoginCapability;
import io.github.keycloakhasura.graphql.organizations.OrganizationsCapability;
import io.github.keycloakhasura.graphql.passwordless.PasswordlessCapability;
import io.github.keycloakhasura.graphql.passwordless.passkeys.PasskeysCapability;
import io.github.keycloakhasura.graphql.pats.PatsCapability;
import io.github.keycloakhasura.graphql.stepup.StepUpCapability;
import io.github.keycloakhasura.graphql.signup.SignUpCapability;
import io.github.keycloakhasura.graphql.tokens.TokensCapability;

import java.util.List;

/** The one list of the endpoint's capabilities (each: its SDL part and its fetchers); the first one declares the root types. */
public final class Capabilities {

    public static final List<Capability> ALL = List.of(
            new Wiring(),
            new LoginCapability(),
            new DirectoryCapability(),
            new TokensCapability(),
            new AccountCapability(),
            new SignUpCapability(),
            new EmailCapability(),
            new OrganizationsCapability(),
            new PasswordlessCapability(),
            new PasskeysCapability(),
            new StepUpCapability(),
            new PatsCapability());

    private Capabilities() {
    }

    /** The executable schema of every capability, built once by the factory (and by tests and benchmarks). */
    public static ExecutableSchema schema() {
        return SchemaAssembly.schema(ALL);
    }

    /** The schema's SDL as the capabilities declare it. */
    public static String sdl() {
        return SchemaAssembly.sdl(ALL);
    }
}
