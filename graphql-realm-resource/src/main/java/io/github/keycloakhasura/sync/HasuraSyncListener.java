package io.github.keycloakhasura.sync;

import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakTransactionManager;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Keycloak calls it inside the transaction of the change: it adds the change to the outbox there (so the entry commits
 * or rolls back with the change) and, once that transaction commits, nudges the worker.
 */
final class HasuraSyncListener implements EventListenerProvider {

    private final KeycloakSession session;
    private final SyncSettings settings;
    private final Runnable wakeWorker;
    private boolean wakeEnlisted;

    HasuraSyncListener(KeycloakSession session, SyncSettings settings, Runnable wakeWorker) {
        this.session = session;
        this.settings = settings;
        this.wakeWorker = wakeWorker;
    }

    @Override
    public void onEvent(Event event) {
        if (settings.enabled()) {
            Change.ofUserEvent(event.getType(), event.getUserId()).ifPresent(c -> record(event.getRealmId(), c));
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (settings.enabled()) {
            Change.ofAdminEvent(event.getResourceType(), event.getOperationType(), event.getResourcePath())
                    .ifPresent(c -> record(event.getRealmId(), c));
        }
    }

    private void record(String realmId, Change change) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        String payload = null;
        if (change.kind() == Change.Kind.UPSERT) {
            UserModel user = session.users().getUserById(realm, change.userId());
            if (user == null || user.getServiceAccountClientLink() != null) {
                return; // gone again in this transaction (its deletion follows), or a client's service account
            }
            payload = UserSnapshot.of(user).toJson();
        }
        new Outbox(session).add(realmId, change, payload, frontendBase(), System.currentTimeMillis());
        wakeAfterCommit();
    }

    /**
     * The user joined or left an organization (from {@link OrganizationMembershipEvents}, in the transaction of the
     * change): one entry, in the user's order. A join carries the user's row; a leave of a member Keycloak deleted
     * with it (a managed member) is followed by the user's deletion, which no admin event reports.
     */
    void recordMembership(RealmModel realm, String organizationId, UserModel member, boolean joined) {
        if (!settings.enabled() || member.getServiceAccountClientLink() != null) {
            return;
        }
        String userId = member.getId();
        Outbox outbox = new Outbox(session);
        long now = System.currentTimeMillis();
        if (joined) {
            Membership m = new Membership(organizationId, UserSnapshot.of(member));
            outbox.add(realm.getId(), new Change(Change.Kind.ORG_JOIN, userId), m.toJson(), frontendBase(), now);
        } else {
            Membership m = new Membership(organizationId, null);
            outbox.add(realm.getId(), new Change(Change.Kind.ORG_LEAVE, userId), m.toJson(), frontendBase(), now);
            if (session.users().getUserById(realm, userId) == null) {
                outbox.add(realm.getId(), new Change(Change.Kind.DELETE, userId), null, frontendBase(), now);
            }
        }
        wakeAfterCommit();
    }

    /** The request's frontend base URI (the issuer of the worker's service-account token); null off a request. */
    private String frontendBase() {
        try {
            return session.getContext().getUri().getBaseUri().toString();
        } catch (RuntimeException noRequest) {
            return null;
        }
    }

    private void wakeAfterCommit() {
        if (!wakeEnlisted) {
            wakeEnlisted = enlistWake(session, wakeWorker);
        }
    }

    /** Runs {@code wake} once the session's transaction commits (nothing on rollback); false without a transaction. */
    static boolean enlistWake(KeycloakSession session, Runnable wake) {
        KeycloakTransactionManager tm = session.getTransactionManager();
        if (!tm.isActive()) {
            return false;
        }
        tm.enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                wake.run();
            }

            @Override
            protected void rollbackImpl() {
                // the entries rolled back with the change: nothing to send
            }
        });
        return true;
    }

    @Override
    public void close() {
    }
}
