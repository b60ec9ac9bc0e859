package io.github.keycloakhasura.sync;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One change of a user waiting for delivery to Hasura (table {@code HASURA_SYNC_OUTBOX}, changelog
 * {@code META-INF/hasura-sync-changelog.xml}). Written in the transaction of the change, deleted once Hasura took it.
 * Entries of one user are delivered in {@code id} order; {@code claimedBy}/{@code claimedUntil} is the lease of the
 * node delivering it.
 */
@Entity
@Table(name = "HASURA_SYNC_OUTBOX")
public class OutboxEntry {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "USER_ID", nullable = false, length = 36)
    private String userId;

    /** {@link Change.Kind#name()}. */
    @Column(name = "KIND", nullable = false, length = 16)
    private String kind;

    /** The user as it was after the change ({@link UserSnapshot} JSON); null for a deletion. */
    @Column(name = "PAYLOAD", length = 4000)
    private String payload;

    /** Keycloak's frontend base URI of the request that made the change (the service-account token's issuer). */
    @Column(name = "FRONTEND_BASE", length = 255)
    private String frontendBase;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "ATTEMPTS", nullable = false)
    private int attempts;

    @Column(name = "NEXT_ATTEMPT_AT", nullable = false)
    private long nextAttemptAt;

    @Column(name = "LAST_ERROR", length = 1000)
    private String lastError;

    @Column(name = "CLAIMED_BY", length = 64)
    private String claimedBy;

    @Column(name = "CLAIMED_UNTIL")
    private Long claimedUntil;

    public Long getId() {
        return id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getPayload() {
        return payload;
    }

    public void setPayload(String payload) {
        this.payload = payload;
    }

    public String getFrontendBase() {
        return frontendBase;
    }

    public void setFrontendBase(String frontendBase) {
        this.frontendBase = frontendBase;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public int getAttempts() {
        return attempts;
    }

    public long getNextAttemptAt() {
        return nextAttemptAt;
    }

    public void setNextAttemptAt(long nextAttemptAt) {
        this.nextAttemptAt = nextAttemptAt;
    }

    public String getLastError() {
        return lastError;
    }
}
