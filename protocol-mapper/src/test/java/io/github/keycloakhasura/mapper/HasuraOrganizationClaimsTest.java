package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HasuraOrganizationClaimsTest {

    private static final HasuraClaims.Tenancy IN_A = new HasuraClaims.Tenancy(List.of("b", "a"), "a", List.of("admins"));

    private static Map<String, Object> claims(Map<String, String> raw, HasuraClaims.Tenancy tenancy) {
        return HasuraClaims.compute(HasuraMapperConfig.parse(raw),
                new HasuraClaims.Subject("id-1", "alice", Map.of(), List.of("user"), List.of(), List.of(), tenancy));
    }

    @Test
    void offByDefaultSoNoOrganizationVariableOrRole() {
        Map<String, Object> claims = claims(Map.of(), IN_A);
        assertFalse(claims.containsKey(HasuraMapperConfig.ORG_ID));
        assertFalse(claims.containsKey(HasuraMapperConfig.ORG_IDS));
        assertEquals(List.of("user"), claims.get(HasuraMapperConfig.ALLOWED_ROLES));
    }

    @Test
    void activeIdAsStringAllIdsAsSortedArrayLiteralAndTheActiveOrganizationsRoles() {
        Map<String, Object> claims = claims(Map.of(HasuraMapperConfig.ORGANIZATIONS, "true"), IN_A);
        assertEquals("a", claims.get(HasuraMapperConfig.ORG_ID));
        assertEquals("{a,b}", claims.get(HasuraMapperConfig.ORG_IDS));
        assertEquals(List.of("user", "org_admin"), claims.get(HasuraMapperConfig.ALLOWED_ROLES));
        assertEquals("user", claims.get(HasuraMapperConfig.DEFAULT_ROLE));
    }

    @Test
    void noActiveOrganizationMeansNoOrgIdNoOrganizationRoleAndAnEmptyLiteralWithoutMemberships() {
        Map<String, Object> none = claims(Map.of(HasuraMapperConfig.ORGANIZATIONS, "true"),
                new HasuraClaims.Tenancy(List.of("a", "b"), null, List.of("admins")));
        assertFalse(none.containsKey(HasuraMapperConfig.ORG_ID), "fails closed");
        assertEquals(List.of("user"), none.get(HasuraMapperConfig.ALLOWED_ROLES));
        assertEquals("{}", claims(Map.of(HasuraMapperConfig.ORGANIZATIONS, "true"), HasuraClaims.Tenancy.NONE)
                .get(HasuraMapperConfig.ORG_IDS));
    }

    @Test
    void thePriorityListMayMakeTheOrganizationRoleTheDefault() {
        Map<String, Object> claims = claims(Map.of(HasuraMapperConfig.ORGANIZATIONS, "true",
                HasuraMapperConfig.ROLE_PRIORITY, "org_admin,user"), IN_A);
        assertEquals(List.of("org_admin", "user"), claims.get(HasuraMapperConfig.ALLOWED_ROLES));
        assertEquals("org_admin", claims.get(HasuraMapperConfig.DEFAULT_ROLE));
    }

    @Test
    void adminIsNeverGivenByAnOrganizationGroupEvenWhenAllowListed() {
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(Map.of(
                HasuraMapperConfig.ORGANIZATION_GROUP_ROLES, "admins:admin")));
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(Map.of(
                HasuraMapperConfig.ORGANIZATION_ADMIN_ROLE, "admin")));
        Map<String, Object> claims = claims(Map.of(HasuraMapperConfig.ORGANIZATIONS, "true",
                HasuraMapperConfig.ROLES_ALLOWED, "user,admin"), new HasuraClaims.Tenancy(List.of("a"), "a", List.of("admin")));
        assertFalse(((List<?>) claims.get(HasuraMapperConfig.ALLOWED_ROLES)).contains("admin"));
    }

    @Test
    void groupRoleEntriesAreValidated() {
        assertEquals(List.of(new OrganizationOptions.GroupRole("team:leads", "lead")),
                HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.ORGANIZATION_GROUP_ROLES, "team:leads:lead")).organizationGroupRoles());
        for (String bad : List.of("admins", ":org_admin", "admins:", "admins:org admin", "admins:{x}")) {
            assertThrows(InvalidMapperConfigException.class,
                    () -> HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.ORGANIZATION_GROUP_ROLES, bad)), bad);
        }
        assertEquals("admins:org_admin", HasuraMapperConfig.DEFAULT_ORGANIZATION_GROUP_ROLES);
    }

    @Test
    void noOtherOptionMayWriteTheOrganizationVariables() {
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(Map.of(
                HasuraMapperConfig.ORGANIZATIONS, "true", HasuraMapperConfig.SESSION_VARIABLES, "tenant:org-id")));
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(Map.of(
                HasuraMapperConfig.ORGANIZATIONS, "true", HasuraMapperConfig.GROUPS_VARIABLE, "org-ids")));
        assertTrue(HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.SESSION_VARIABLES, "tenant:org-id")).sessionVariables()
                .stream().anyMatch(v -> v.variable().equals(HasuraMapperConfig.ORG_ID)), "organizations off: the name is free");
    }
}
