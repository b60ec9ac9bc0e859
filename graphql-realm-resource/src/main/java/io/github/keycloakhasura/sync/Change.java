package io.github.keycloakhasura.sync;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.keycloak.events.EventType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

/**
 * What a Keycloak event means for the app's tables: the user's {@code users} row is written or deleted, or the user
 * joined or left an organization ({@code organization_members}; the organization is in the entry's payload).
 */
public record Change(Kind kind, String userId) {

    public enum Kind { UPSERT, DELETE, ORG_JOIN, ORG_LEAVE }

    /** {@code users/{id}} exactly: sub-resources ({@code users/{id}/role-mappings/...}) are no change of the row. */
    private static final Pattern USER_PATH = Pattern.compile("users/([^/]+)");

    /** A user event: sign-up (also first broker login), profile, email, verification, self-deletion. */
    public static Optional<Change> ofUserEvent(EventType type, String userId) {
        if (userId == null) {
            return Optional.empty();
        }
        return switch (type) {
            case REGISTER, UPDATE_PROFILE, UPDATE_EMAIL, VERIFY_EMAIL -> Optional.of(new Change(Kind.UPSERT, userId));
            case DELETE_ACCOUNT -> Optional.of(new Change(Kind.DELETE, userId));
            default -> Optional.empty();
        };
    }

    /** An admin event on a user: created, updated (names, email, verified, enabled), deleted. */
    public static Optional<Change> ofAdminEvent(ResourceType resource, OperationType operation, String resourcePath) {
        if (resource != ResourceType.USER || resourcePath == null) {
            return Optional.empty();
        }
        Matcher m = USER_PATH.matcher(resourcePath);
        if (!m.matches()) {
            return Optional.empty();
        }
        return switch (operation) {
            case CREATE, UPDATE -> Optional.of(new Change(Kind.UPSERT, m.group(1)));
            case DELETE -> Optional.of(new Change(Kind.DELETE, m.group(1)));
            default -> Optional.empty();
        };
    }
}
