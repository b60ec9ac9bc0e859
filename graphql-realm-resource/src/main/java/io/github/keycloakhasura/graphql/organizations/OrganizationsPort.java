package io.github.keycloakhasura.graphql.organizations;

import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.api.UserView;

import java.util.List;

/**
 * What the organization fetchers ask of Keycloak (Keycloak Organizations as Hasura tenancy); only plain values cross
 * it. {@link KeycloakOrganizations} is the real one, and the one place that decides who may do what.
 */
public interface OrganizationsPort {

    /** One organization of the caller, as {@code Organization} shows it. */
    record Organization(String id, String alias, String name, List<String> domains, List<String> roles, boolean active) {
    }

    /** One page of an organization's members ({@code size + 1} rows at most, to tell whether more follow). */
    record MemberPage(List<UserView> items, int totalCount) {
    }

    /** New tokens of the same session with another active organization (Keycloak's refresh grant, narrowed). */
    Tokens switchOrganization(String refreshToken, String organization, TransactionMode mode);

    /** The caller's organizations; {@code active} as the caller's token has it. */
    List<Organization> organizations(Caller caller);

    /** Members of an organization, sorted by username: for its admins and realm managers. */
    MemberPage members(Caller caller, String organizationId, int offset, int size);

    /** Keycloak's own invitation email (its action token) to {@code email}: for the organization's admins and realm managers. */
    boolean invite(Caller caller, String organizationId, String email, TransactionMode mode);

    /** The caller joins the organization an invitation token names, when the token names the caller's address. */
    boolean accept(Caller caller, String token, TransactionMode mode);

    /** Removes a member: for the organization's admins and realm managers. */
    boolean remove(Caller caller, String organizationId, String userId, TransactionMode mode);
}
