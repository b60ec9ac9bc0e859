package io.github.keycloakhasura.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

class ChangeTest {

    @Test
    void userEventsThatChangeTheRowAreUpsertsAndSelfDeletionIsADelete() {
        for (EventType t : new EventType[] {EventType.REGISTER, EventType.UPDATE_PROFILE, EventType.UPDATE_EMAIL,
                EventType.VERIFY_EMAIL}) {
            assertEquals(Optional.of(new Change(Change.Kind.UPSERT, "u1")), Change.ofUserEvent(t, "u1"), t.name());
        }
        assertEquals(Optional.of(new Change(Change.Kind.DELETE, "u1")), Change.ofUserEvent(EventType.DELETE_ACCOUNT, "u1"));
    }

    @Test
    void otherUserEventsAndErrorsChangeNothing() {
        for (EventType t : new EventType[] {EventType.LOGIN, EventType.CLIENT_LOGIN, EventType.REGISTER_ERROR,
                EventType.UPDATE_PROFILE_ERROR, EventType.DELETE_ACCOUNT_ERROR, EventType.UPDATE_PASSWORD, EventType.LOGOUT}) {
            assertTrue(Change.ofUserEvent(t, "u1").isEmpty(), t.name());
        }
        assertTrue(Change.ofUserEvent(EventType.REGISTER, null).isEmpty());
    }

    @Test
    void adminEventsOnTheUserItselfAreChangesAndItsSubResourcesAreNot() {
        assertEquals(Optional.of(new Change(Change.Kind.UPSERT, "u1")),
                Change.ofAdminEvent(ResourceType.USER, OperationType.CREATE, "users/u1"));
        assertEquals(Optional.of(new Change(Change.Kind.UPSERT, "u1")),
                Change.ofAdminEvent(ResourceType.USER, OperationType.UPDATE, "users/u1"));
        assertEquals(Optional.of(new Change(Change.Kind.DELETE, "u1")),
                Change.ofAdminEvent(ResourceType.USER, OperationType.DELETE, "users/u1"));
        assertTrue(Change.ofAdminEvent(ResourceType.USER, OperationType.ACTION, "users/u1").isEmpty());
        assertTrue(Change.ofAdminEvent(ResourceType.USER, OperationType.UPDATE, "users/u1/reset-password").isEmpty());
        assertTrue(Change.ofAdminEvent(ResourceType.REALM_ROLE_MAPPING, OperationType.CREATE, "users/u1/role-mappings/realm").isEmpty());
        assertTrue(Change.ofAdminEvent(ResourceType.CLIENT, OperationType.UPDATE, "clients/c1").isEmpty());
        assertTrue(Change.ofAdminEvent(ResourceType.USER, OperationType.UPDATE, null).isEmpty());
    }
}
