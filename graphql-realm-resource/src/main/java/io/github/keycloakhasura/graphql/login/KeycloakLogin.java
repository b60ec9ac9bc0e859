package io.github.keycloakhasura.graphql.login;

import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.keycloak.KeycloakSide;
import io.github.keycloakhasura.graphql.keycloak.OrganizationLogin;

/**
 * The {@link LoginPort} on Keycloak: its password grant and required actions ({@link KeycloakSide#login}), with the
 * organization scopes of {@link OrganizationLogin} (the same class switchOrganization uses). Anyone may call it: the
 * credentials are the authorization.
 */
public final class KeycloakLogin implements LoginPort {

    private final OrganizationLogin login;

    public KeycloakLogin(KeycloakSide keycloak) {
        this.login = new OrganizationLogin(keycloak);
    }

    @Override
    public Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending,
                        String organization) {
        return login.login(username, password, clientId, scope, otp, pending, organization);
    }
}
