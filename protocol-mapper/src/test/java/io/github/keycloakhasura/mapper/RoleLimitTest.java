package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoleLimitTest {

    private static final HasuraMapperConfig CONFIG = HasuraMapperConfig.parse(Map.of(
            HasuraMapperConfig.ROLES_ALLOWED, "user,manager,admin", HasuraMapperConfig.ROLE_PRIORITY, "manager,user"));

    private static Map<String, Object> claims(List<String> allowed) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put(HasuraReservedNames.ALLOWED_ROLES, allowed);
        claims.put(HasuraReservedNames.DEFAULT_ROLE, allowed.get(0));
        claims.put(HasuraReservedNames.USER_ID, "u1");
        claims.put(HasuraReservedNames.AUTH_ELEVATED, "u1");
        return claims;
    }

    @Test
    void allowedRolesAreTheTokensAmongTheOwnersNeverAdminNeverElevated() {
        Map<String, Object> limited = RoleLimit.apply(CONFIG, claims(List.of("admin", "manager", "user")),
                Set.of("user", "admin"), Map.of());
        assertEquals(List.of("user"), limited.get(HasuraReservedNames.ALLOWED_ROLES));
        assertEquals("user", limited.get(HasuraReservedNames.DEFAULT_ROLE));
        assertEquals("u1", limited.get(HasuraReservedNames.USER_ID));
        assertFalse(limited.containsKey(HasuraReservedNames.AUTH_ELEVATED));
    }

    @Test
    void aRoleTheOwnerLostIsGoneAndNothingLeftMeansNoClaims() {
        assertTrue(RoleLimit.apply(CONFIG, claims(List.of("user")), Set.of("manager"), Map.of()).isEmpty());
        Map<String, Object> limited = RoleLimit.apply(CONFIG, claims(List.of("manager", "user")), Set.of("manager", "user"), Map.of());
        assertEquals(List.of("manager", "user"), limited.get(HasuraReservedNames.ALLOWED_ROLES));
        assertEquals("manager", limited.get(HasuraReservedNames.DEFAULT_ROLE));
    }

    @Test
    void theNoteListsRoles() {
        assertEquals(Set.of("user", "manager"), RoleLimit.parse(" user, manager ,"));
        assertTrue(RoleLimit.parse(null).isEmpty());
    }
}
