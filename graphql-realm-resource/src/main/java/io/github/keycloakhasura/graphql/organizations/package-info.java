/**
 * The organization capability: organizations.graphqls, {@code OrganizationsCapability}, the port
 * {@code OrganizationsPort} and its adapter {@code KeycloakOrganizations} (who may do what, in one place).
 */
package io.github.keycloakhasura.graphql.organizations;
