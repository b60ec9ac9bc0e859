package io.github.keycloakhasura.sync;

import java.util.List;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * The outbox table, through Keycloak's entity manager: so a write joins the session's transaction (the change's), and
 * the worker's steps each run in a short transaction of their own.
 */
final class Outbox {

    /** What the worker may deliver now: the oldest entry of each user, due, and not leased to a live node. */
    private static final String HEADS = "select e from OutboxEntry e"
            + " where e.id in (select min(o.id) from OutboxEntry o group by o.realmId, o.userId)"
            + " and e.nextAttemptAt <= :now and (e.claimedUntil is null or e.claimedUntil < :now) order by e.id";

    private final EntityManager em;

    Outbox(KeycloakSession session) {
        this.em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    void add(String realmId, Change change, String payload, String frontendBase, long nowMillis) {
        OutboxEntry e = new OutboxEntry();
        e.setRealmId(realmId);
        e.setUserId(change.userId());
        e.setKind(change.kind().name());
        e.setPayload(payload);
        e.setFrontendBase(frontendBase);
        e.setCreatedAt(nowMillis);
        e.setNextAttemptAt(nowMillis);
        em.persist(e);
    }

    List<OutboxEntry> due(long nowMillis, int limit) {
        return em.createQuery(HEADS, OutboxEntry.class).setParameter("now", nowMillis).setMaxResults(limit).getResultList();
    }

    /**
     * Leases an entry to this node: one conditional UPDATE, so of two nodes racing for it the database lets exactly one
     * through (the other's UPDATE waits for the row lock, then finds the lease taken and changes nothing).
     */
    boolean claim(long id, String node, long nowMillis, long untilMillis) {
        return em.createQuery("update OutboxEntry e set e.claimedBy = :node, e.claimedUntil = :until"
                        + " where e.id = :id and (e.claimedUntil is null or e.claimedUntil < :now)")
                .setParameter("node", node).setParameter("until", untilMillis)
                .setParameter("id", id).setParameter("now", nowMillis).executeUpdate() == 1;
    }

    Optional<OutboxEntry> find(long id) {
        return Optional.ofNullable(em.find(OutboxEntry.class, id));
    }

    void delivered(long id, String node) {
        em.createQuery("delete from OutboxEntry e where e.id = :id and e.claimedBy = :node")
                .setParameter("id", id).setParameter("node", node).executeUpdate();
    }

    void failed(long id, String node, String error, long nextAttemptAt) {
        em.createQuery("update OutboxEntry e set e.attempts = e.attempts + 1, e.lastError = :error,"
                        + " e.nextAttemptAt = :next, e.claimedBy = null, e.claimedUntil = null"
                        + " where e.id = :id and e.claimedBy = :node")
                .setParameter("error", error.length() > 1000 ? error.substring(0, 1000) : error)
                .setParameter("next", nextAttemptAt).setParameter("id", id).setParameter("node", node).executeUpdate();
    }

    /** Depth and the oldest entry's creation time (null when empty). */
    Stats stats() {
        Object[] row = em.createQuery("select count(e), min(e.createdAt) from OutboxEntry e", Object[].class)
                .getSingleResult();
        return new Stats(((Number) row[0]).longValue(), row[1] == null ? null : ((Number) row[1]).longValue());
    }

    record Stats(long depth, Long oldestCreatedAt) {
    }
}
