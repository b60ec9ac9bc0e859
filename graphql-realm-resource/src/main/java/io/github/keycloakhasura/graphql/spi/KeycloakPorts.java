package io.github.keycloakhasura.graphql.spi;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.account.Accounts;
import io.github.keycloakhasura.graphql.account.KeycloakAccount;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.capability.Ports;
import io.github.keycloakhasura.graphql.email.EmailPort;
import io.github.keycloakhasura.graphql.email.KeycloakEmail;
import io.github.keycloakhasura.graphql.keycloak.GrantChecks;
import io.github.keycloakhasura.graphql.keycloak.KeycloakBackend;
import io.github.keycloakhasura.graphql.keycloak.TokenEndpointCalls;
import io.github.keycloakhasura.graphql.login.KeycloakLogin;
import io.github.keycloakhasura.graphql.login.LoginPort;
import io.github.keycloakhasura.graphql.organizations.KeycloakOrganizations;
import io.github.keycloakhasura.graphql.organizations.OrganizationsPort;
import io.github.keycloakhasura.graphql.passwordless.KeycloakPasswordless;
import io.github.keycloakhasura.graphql.passwordless.Passwordless;
import io.github.keycloakhasura.graphql.passwordless.passkeys.KeycloakPasskeys;
import io.github.keycloakhasura.graphql.passwordless.passkeys.PasskeySide;
import io.github.keycloakhasura.graphql.passwordless.passkeys.Passkeys;
import io.github.keycloakhasura.graphql.pats.KeycloakPats;
import io.github.keycloakhasura.graphql.pats.PersonalAccessTokens;
import io.github.keycloakhasura.graphql.stepup.KeycloakStepUp;
import io.github.keycloakhasura.graphql.stepup.StepUp;
import io.github.keycloakhasura.graphql.signup.KeycloakSignUp;
import io.github.keycloakhasura.graphql.signup.SignUpPort;
import io.github.keycloakhasura.graphql.tokens.KeycloakTokens;
import io.github.keycloakhasura.graphql.tokens.TokensPort;
import io.github.keycloakhasura.trust.TrustBoundary;
import org.keycloak.models.KeycloakSession;

/** The ports of one HTTP request on Keycloak: one line per port, each created when a fetcher first asks for it. */
final class KeycloakPorts {

    private KeycloakPorts() {
    }

    static Ports of(KeycloakSession session, GraphqlConfig config, TrustBoundary trust) {
        KeycloakBackend keycloak = new KeycloakBackend(session, config, trust);
        return Ports.builder()
                .add(Backend.class, () -> keycloak)
                .add(LoginPort.class, () -> new KeycloakLogin(keycloak.organizationSide()))
                .add(OrganizationsPort.class, () -> new KeycloakOrganizations(keycloak.organizationSide()))
                .add(Passwordless.class, () -> new KeycloakPasswordless(config.clientId(), new GrantChecks(trust),
                        keycloak.transactions()::own, TokenEndpointCalls::tokens, keycloak::awaitLoginRelease))
                .add(TokensPort.class, () -> new KeycloakTokens(keycloak.grants(), keycloak.bearers()))
                .add(EmailPort.class, () -> new KeycloakEmail(keycloak.emails()))
                .add(Accounts.class, () -> (caller, mode) -> new KeycloakAccount(keycloak.verified(caller), mode,
                        keycloak.transactions(), config.clientId()))
                .add(SignUpPort.class, () -> new KeycloakSignUp(keycloak))
                .add(StepUp.class, () -> new KeycloakStepUp(keycloak.organizationSide(), new GrantChecks(trust)))
                .add(PersonalAccessTokens.class, () -> new KeycloakPats(keycloak.organizationSide(), new GrantChecks(trust),
                        TokenEndpointCalls::tokens))
                .add(Passkeys.class, () -> new KeycloakPasskeys(new PasskeySide(keycloak)))
                .build();
    }
}
