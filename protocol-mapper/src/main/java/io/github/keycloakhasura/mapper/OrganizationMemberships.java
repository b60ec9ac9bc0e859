package io.github.keycloakhasura.mapper;

import io.github.keycloakhasura.mapper.compat.OrganizationGroups;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Keycloak side of {@link OrganizationTenancy}: a user's current organizations (read live, so a removed member
 * loses one at the next token, webhook call or refresh), the client session's remembered one, its groups.
 */
final class OrganizationMemberships {

    private OrganizationMemberships() {
    }

    /**
     * The user's organizations for Hasura: none when the realm has organizations off.
     *
     * @param clientSession the session whose {@code kc.org} note is read, or null
     * @param scope         the token's scope (its {@code organization:<alias>} entries), or null
     * @param requestedId   an organization id asked for explicitly, or null
     */
    static HasuraClaims.Tenancy tenancy(KeycloakSession session, UserModel user, AuthenticatedClientSessionModel clientSession,
                                        String scope, String requestedId) {
        RealmModel realm = session.getContext().getRealm();
        OrganizationProvider provider = realm != null && realm.isOrganizationsEnabled()
                ? session.getProvider(OrganizationProvider.class) : null;
        if (provider == null) {
            return HasuraClaims.Tenancy.NONE;
        }
        List<OrganizationModel> organizations = provider.getByMember(user).filter(Objects::nonNull)
                .filter(OrganizationModel::isEnabled).toList();
        if (organizations.isEmpty()) {
            return HasuraClaims.Tenancy.NONE;
        }
        List<OrganizationTenancy.Membership> memberships = organizations.stream()
                .map(o -> new OrganizationTenancy.Membership(o.getId(), o.getAlias())).toList();
        String remembered = clientSession == null ? null : clientSession.getNote(OrganizationTenancy.ACTIVE_NOTE);
        Optional<OrganizationTenancy.Membership> active = OrganizationTenancy.active(new OrganizationTenancy.Inputs(
                memberships, requestedId, OrganizationTenancy.requestedAliases(scope), remembered));
        List<String> ids = memberships.stream().map(OrganizationTenancy.Membership::id).toList();
        if (active.isEmpty()) {
            return new HasuraClaims.Tenancy(ids, null, List.of());
        }
        OrganizationModel organization = organizations.stream().filter(o -> o.getId().equals(active.get().id()))
                .findFirst().orElseThrow();
        return new HasuraClaims.Tenancy(ids, organization.getId(), OrganizationGroups.names(provider, organization, user));
    }

    /** Keycloak's {@code kc.org} note := the organization a token asked for and got (written only when it changes). */
    static void remember(AuthenticatedClientSessionModel clientSession, String organizationId) {
        if (clientSession == null || organizationId == null) {
            return;
        }
        if (!organizationId.equals(clientSession.getNote(OrganizationTenancy.ACTIVE_NOTE))) {
            clientSession.setNote(OrganizationTenancy.ACTIVE_NOTE, organizationId);
        }
    }
}
