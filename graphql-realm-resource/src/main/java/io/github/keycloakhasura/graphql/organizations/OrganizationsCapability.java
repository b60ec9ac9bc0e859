package io.github.keycloakhasura.graphql.organizations;

import graphql.schema.PropertyDataFetcher;
import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;

/**
 * Keycloak organizations as Hasura tenancy: organizations.graphqls (organizations, organizationMembers,
 * switchOrganization, the invitations, removeOrganizationMember, type Organization); tokenAuth's organization is the
 * {@code login} capability's (both through {@code keycloak.OrganizationLogin}).
 */
public final class OrganizationsCapability implements Capability {

    @Override
    public String sdl() {
        return Capability.resource(OrganizationsCapability.class, "organizations.graphqls");
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                        .dataFetcher("organizations", OrganizationFetchers::organizations)
                        .dataFetcher("organizationMembers", OrganizationFetchers::organizationMembers))
                .type("Mutation", type -> type
                        .dataFetcher("switchOrganization", OrganizationFetchers::switchOrganization)
                        .dataFetcher("inviteOrganizationMember", OrganizationFetchers::inviteOrganizationMember)
                        .dataFetcher("acceptOrganizationInvitation", OrganizationFetchers::acceptOrganizationInvitation)
                        .dataFetcher("removeOrganizationMember", OrganizationFetchers::removeOrganizationMember))
                .type("Organization", type -> type
                        .dataFetcher("id", PropertyDataFetcher.fetching(OrganizationsPort.Organization::id))
                        .dataFetcher("alias", PropertyDataFetcher.fetching(OrganizationsPort.Organization::alias))
                        .dataFetcher("name", PropertyDataFetcher.fetching(OrganizationsPort.Organization::name))
                        .dataFetcher("domains", PropertyDataFetcher.fetching(OrganizationsPort.Organization::domains))
                        .dataFetcher("roles", PropertyDataFetcher.fetching(OrganizationsPort.Organization::roles))
                        .dataFetcher("active", PropertyDataFetcher.fetching(OrganizationsPort.Organization::active)));
    }
}
