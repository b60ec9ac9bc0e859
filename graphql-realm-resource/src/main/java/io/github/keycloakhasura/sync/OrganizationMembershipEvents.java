package io.github.keycloakhasura.sync;

import org.keycloak.events.EventListenerProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OrganizationModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Organization memberships for the sync. Keycloak reports them as no user or admin event of their own on every path
 * (admin REST, invitation links, this extension's GraphQL), but its organization provider publishes
 * {@link OrganizationModel.OrganizationMemberJoinEvent} / {@link OrganizationModel.OrganizationMemberLeaveEvent}
 * (26.4 and later) from {@code addMember}/{@code removeMember} — also for each member when an organization is deleted —
 * synchronously, in the session (and so the transaction) of the change. Realms that list {@code hasura-sync} among
 * their event listeners get an outbox entry through that session's listener.
 */
final class OrganizationMembershipEvents implements ProviderEventListener {

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof OrganizationModel.OrganizationMemberJoinEvent join) {
            record(join.getSession(), join.getOrganization(), join.getUser(), true);
        } else if (event instanceof OrganizationModel.OrganizationMemberLeaveEvent leave) {
            record(leave.getSession(), leave.getOrganization(), leave.getUser(), false);
        }
    }

    private static void record(KeycloakSession session, OrganizationModel organization, UserModel member, boolean joined) {
        if (session == null || organization == null || member == null) {
            return;
        }
        // The organization provider works on the context's realm: the organization's and the member's.
        RealmModel realm = session.getContext().getRealm();
        if (realm == null || realm.getEventsListenersStream().noneMatch(HasuraSyncListenerFactory.ID::equals)) {
            return;
        }
        if (session.getProvider(EventListenerProvider.class, HasuraSyncListenerFactory.ID) instanceof HasuraSyncListener l) {
            l.recordMembership(realm, organization.getId(), member, joined);
        }
    }
}
