package io.github.keycloakhasura.graphql.organizations;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;

/** Keycloak's organization invitations: its invitation email and action token, accepted through the API. */
final class OrganizationInvitations {

    boolean invite(KeycloakSession s, OrganizationModel org, String email) {
        throw GraphqlException.forbidden("not yet");
    }

    boolean accept(KeycloakSession s, String userId, String token) {
        throw GraphqlException.forbidden("not yet");
    }
}
