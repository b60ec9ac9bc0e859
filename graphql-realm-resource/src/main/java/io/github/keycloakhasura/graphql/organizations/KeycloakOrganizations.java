package io.github.keycloakhasura.graphql.organizations;

import io.github.keycloakhasura.graphql.keycloak.KeycloakSide;
import io.github.keycloakhasura.graphql.keycloak.OrganizationLogin;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.HasuraVariables;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.mapper.HasuraSessionVariables;
import io.github.keycloakhasura.mapper.InvalidMapperConfigException;
import io.github.keycloakhasura.mapper.OrganizationTenancy;
import io.github.keycloakhasura.mapper.compat.OrganizationGroups;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationDomainModel;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.representations.AccessToken;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link OrganizationsPort} on Keycloak's {@code OrganizationProvider}, one instance per request. Who may do
 * what is decided here and only here ({@link #requireAdministrator}): a member sees their own organizations; an
 * organization's admins (the organization role the caller's Hasura mapper names, "Organization admin role", held
 * through that organization's groups) and realm managers (the {@code manager-role} realm role in the token) list,
 * invite and remove its members; anyone accepts an invitation addressed to them.
 */
public final class KeycloakOrganizations implements OrganizationsPort {

    private final KeycloakSide keycloak;
    private final OrganizationLogin login;
    private final OrganizationInvitations invitations;

    public KeycloakOrganizations(KeycloakSide keycloak) {
        this.keycloak = keycloak;
        this.login = new OrganizationLogin(keycloak);
        this.invitations = new OrganizationInvitations();
    }

    @Override
    public Tokens switchOrganization(String refreshToken, String organization, TransactionMode mode) {
        return login.switchOrganization(refreshToken, organization, mode);
    }

    @Override
    public List<Organization> organizations(Caller caller) {
        KeycloakSide.VerifiedCaller me = keycloak.caller(caller);
        KeycloakSession s = keycloak.session();
        OrganizationProvider provider = OrganizationLogin.provider(s);
        if (provider == null) {
            return List.of();
        }
        Map<String, Object> variables = HasuraVariables.claimsOrNull(keycloak.sessionVariables(caller));
        Object activeId = variables == null ? null : variables.get(HasuraMapperConfig.ORG_ID);
        Optional<HasuraMapperConfig> config = mapperConfig(me.client());
        return provider.getByMember(me.user()).filter(OrganizationModel::isEnabled)
                .sorted(Comparator.comparing(OrganizationModel::getAlias))
                .map(o -> new Organization(o.getId(), o.getAlias(), o.getName(),
                        o.getDomains().map(OrganizationDomainModel::getName).sorted().toList(),
                        roles(config, provider, o, me.user()), o.getId().equals(activeId)))
                .toList();
    }

    @Override
    public MemberPage members(Caller caller, String organizationId, int offset, int size) {
        KeycloakSession s = keycloak.session();
        OrganizationModel org = requireAdministrator(s, keycloak.caller(caller), organizationId);
        OrganizationProvider provider = OrganizationLogin.provider(s);
        List<UserView> items = provider.getMembersStream(org, (String) null, null, offset, size + 1)
                .map(keycloak::view).toList();
        return new MemberPage(items, (int) Math.min(Integer.MAX_VALUE, provider.getMembersCount(org)));
    }

    @Override
    public boolean invite(Caller caller, String organizationId, String email, TransactionMode mode) {
        KeycloakSide.VerifiedCaller me = keycloak.caller(caller);
        return keycloak.run(mode, "inviteOrganizationMember",
                s -> invitations.invite(s, requireAdministrator(s, me, organizationId), email));
    }

    @Override
    public boolean accept(Caller caller, String token, TransactionMode mode) {
        KeycloakSide.VerifiedCaller me = keycloak.caller(caller);
        return keycloak.run(mode, "acceptOrganizationInvitation", s -> invitations.accept(s, me.user().getId(), token));
    }

    @Override
    public boolean remove(Caller caller, String organizationId, String userId, TransactionMode mode) {
        KeycloakSide.VerifiedCaller me = keycloak.caller(caller);
        return keycloak.run(mode, "removeOrganizationMember", s -> {
            OrganizationModel org = requireAdministrator(s, me, organizationId);
            OrganizationProvider provider = OrganizationLogin.provider(s);
            UserModel user = userId == null ? null : s.users().getUserById(s.getContext().getRealm(), userId);
            if (user == null || !provider.isMember(org, user)) {
                throw GraphqlException.notFound("No such member of this organization");
            }
            if (provider.isManagedMember(org, user)) {
                // Keycloak deletes a managed member (one brought by the organization's identity provider) on removal.
                throw GraphqlException.forbidden("A managed member (from the organization's identity provider) is removed "
                        + "by an administrator in Keycloak");
            }
            return provider.removeMember(org, user);
        });
    }

    // ------------------------------------------------------------------------------------------ who may do what

    /**
     * The organization {@code organizationId} when the caller administers it: a realm manager (any organization), or
     * a member holding the organization admin role there. FORBIDDEN otherwise, also for an organization that does not
     * exist (its existence is not told to outsiders); NOT_FOUND only to realm managers.
     */
    private OrganizationModel requireAdministrator(KeycloakSession s, KeycloakSide.VerifiedCaller me, String organizationId) {
        OrganizationProvider provider = OrganizationLogin.provider(s);
        if (provider == null) {
            throw GraphqlException.forbidden("Organizations are not enabled in this realm");
        }
        OrganizationModel org = organizationId == null || organizationId.isBlank() ? null : provider.getById(organizationId.trim());
        if (isRealmManager(me.token())) {
            if (org == null) {
                throw GraphqlException.notFound("No such organization");
            }
            return org;
        }
        UserModel user = s.users().getUserById(s.getContext().getRealm(), me.userId());
        Optional<HasuraMapperConfig> config = mapperConfig(me.client());
        if (org != null && org.isEnabled() && user != null && provider.isMember(org, user) && config.isPresent()
                && roles(config, provider, org, user).contains(config.get().organizationAdminRole())) {
            return org;
        }
        throw GraphqlException.forbidden("Must be an admin of this organization (or " + keycloak.managerRole() + ")");
    }

    private boolean isRealmManager(AccessToken token) {
        AccessToken.Access access = token == null ? null : token.getRealmAccess();
        return access != null && access.getRoles() != null && access.getRoles().contains(keycloak.managerRole());
    }

    /** The Hasura roles {@code org}'s groups give {@code user}, by the caller's client's Hasura mapper. */
    private static List<String> roles(Optional<HasuraMapperConfig> config, OrganizationProvider provider, OrganizationModel org,
                                      UserModel user) {
        if (config.isEmpty() || !config.get().organizations()) {
            return List.of();
        }
        return OrganizationTenancy.roles(config.get(), OrganizationGroups.names(provider, org, user));
    }

    private static Optional<HasuraMapperConfig> mapperConfig(ClientModel client) {
        try {
            return HasuraSessionVariables.config(client);
        } catch (InvalidMapperConfigException e) {
            throw new GraphqlException(ErrorCode.INVALID_MAPPER_CONFIG, "The Hasura claims mapper of client '"
                    + client.getClientId() + "' has invalid options: " + e.getMessage());
        }
    }
}
