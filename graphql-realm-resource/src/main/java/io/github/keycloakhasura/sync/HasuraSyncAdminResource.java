package io.github.keycloakhasura.sync;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.organization.OrganizationProvider;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/hasura-sync}: the outbox seen by an admin, and the replay (initial load). Keycloak's
 * admin REST authenticates the caller; viewing needs the right to view users, replaying the right to manage them.
 */
public final class HasuraSyncAdminResource {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final HasuraSyncListenerFactory sync;

    HasuraSyncAdminResource(KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth,
                            HasuraSyncListenerFactory sync) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.sync = sync;
    }

    /** {@code {"depth": n, "oldest": "2026-…Z" | null}} (all realms: one outbox per database). */
    @GET
    @Path("outbox")
    @Produces(MediaType.APPLICATION_JSON)
    public Response outbox() {
        auth.users().requireView();
        Outbox.Stats stats = new Outbox(session).stats();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("depth", stats.depth());
        body.put("oldest", stats.oldestCreatedAt() == null ? null : Instant.ofEpochMilli(stats.oldestCreatedAt()).toString());
        return Response.ok(body).build();
    }

    /**
     * Queues the current state of every user of the realm created at or after {@code since} (an ISO-8601 instant or
     * epoch milliseconds; omitted: every user, the initial load), in this request's transaction, each as one upsert.
     * Service accounts are left out. Where the realm has organizations, each replayed user's memberships follow it as
     * joins. {@code {"queued": users, "memberships": m}}; 400 on a bad {@code since}, 409 while sync is off.
     */
    @POST
    @Path("replay")
    @Produces(MediaType.APPLICATION_JSON)
    public Response replay(@QueryParam("since") String since) {
        auth.users().requireManage();
        if (sync == null || !sync.settings().enabled()) {
            return error(Response.Status.CONFLICT, "sync_off", "hasura-sync has no url: nothing would deliver the entries");
        }
        long from;
        try {
            from = parseSince(since);
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, "invalid_since", e.getMessage());
        }
        Outbox outbox = new Outbox(session);
        String base = session.getContext().getUri().getBaseUri().toString();
        long now = System.currentTimeMillis();
        OrganizationProvider organizations = realm.isOrganizationsEnabled()
                ? session.getProvider(OrganizationProvider.class) : null;
        long[] queued = {0, 0};
        session.users().searchForUserStream(realm, Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"))
                .filter(u -> u.getServiceAccountClientLink() == null)
                .filter(u -> u.getCreatedTimestamp() == null || u.getCreatedTimestamp() >= from)
                .forEach(u -> {
                    UserSnapshot row = UserSnapshot.of(u);
                    outbox.add(realm.getId(), new Change(Change.Kind.UPSERT, u.getId()), row.toJson(), base, now);
                    queued[0]++;
                    if (organizations != null) {
                        organizations.getByMember(u).forEach(org -> {
                            outbox.add(realm.getId(), new Change(Change.Kind.ORG_JOIN, u.getId()),
                                    new Membership(org.getId(), row).toJson(), base, now);
                            queued[1]++;
                        });
                    }
                });
        sync.wakeAfterCommit(session);
        return Response.ok(Map.of("queued", queued[0], "memberships", queued[1])).build();
    }

    static long parseSince(String since) {
        if (since == null || since.isBlank()) {
            return Long.MIN_VALUE;
        }
        String s = since.trim();
        if (s.chars().allMatch(Character::isDigit) && s.length() <= 15) {
            return Long.parseLong(s);
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("since must be an ISO-8601 instant (2026-01-31T00:00:00Z) or epoch milliseconds");
        }
    }

    private static Response error(Response.Status status, String error, String description) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "error_description", description)).build();
    }
}
