package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HasuraReservedNamesTest {

    @Test
    void reservedNamesMatchInAnyCaseWithOrWithoutThePrefix() {
        for (String name : List.of("role", "ROLE", "x-hasura-role", "X-Hasura-Role", "allowed-roles", "X-HASURA-ALLOWED-ROLES",
                "default-role", "x-hasura-Default-Role", "user-id", "X-Hasura-User-Id", "admin-secret",
                "use-backend-only-permissions", "access-key")) {
            assertTrue(HasuraReservedNames.isReserved(name), name);
        }
        for (String name : List.of("roles", "org-id", "x-hasura-role-id", "hasura-role", "x_hasura_role", "team")) {
            assertFalse(HasuraReservedNames.isReserved(name), name);
        }
    }

    @Test
    void onlyTheRoleNamesDecideTheRole() {
        assertTrue(HasuraReservedNames.decidesRole("X-Hasura-Role"));
        assertTrue(HasuraReservedNames.decidesRole("x-hasura-allowed-roles"));
        assertTrue(HasuraReservedNames.decidesRole("Default-Role"));
        assertFalse(HasuraReservedNames.decidesRole("x-hasura-user-id"));
        assertFalse(HasuraReservedNames.decidesRole("x-hasura-org-id"));
    }

    @Test
    void normalizeIsHowHasuraReadsTheName() {
        assertEquals("x-hasura-role", HasuraReservedNames.normalize("Role"));
        assertEquals("x-hasura-org-id", HasuraReservedNames.normalize("X-Hasura-Org-Id"));
    }
}
