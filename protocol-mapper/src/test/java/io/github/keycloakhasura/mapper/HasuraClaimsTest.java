package io.github.keycloakhasura.mapper;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HasuraClaimsTest {

    private static HasuraMapperConfig config(String... keyValues) {
        Map<String, String> raw = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put(keyValues[i], keyValues[i + 1]);
        }
        return HasuraMapperConfig.parse(raw);
    }

    private static HasuraClaims.Subject subject(List<String> realmRoles, List<String> clientRoles,
                                                Map<String, List<String>> attributes) {
        return new HasuraClaims.Subject("id-1", "alice", attributes, realmRoles, clientRoles, List.of());
    }

    @Test
    void plainUserGetsUserRoleAsAllowedAndDefault() {
        Map<String, Object> claims = HasuraClaims.compute(config(HasuraMapperConfig.ROLE_PRIORITY, "manager,user"),
                subject(List.of("user", "default-roles-app", "offline_access", "uma_authorization"), List.of(), Map.of()));
        assertEquals(List.of("user"), claims.get("x-hasura-allowed-roles"));
        assertEquals("user", claims.get("x-hasura-default-role"));
        assertEquals("id-1", claims.get("x-hasura-user-id"));
    }

    @Test
    void managerGetsBothRolesPriorityFirstAndManagerAsDefault() {
        Map<String, Object> claims = HasuraClaims.compute(config(HasuraMapperConfig.ROLE_PRIORITY, "manager,user"),
                subject(List.of("user", "manager", "default-roles-app"), List.of(), Map.of()));
        assertEquals(List.of("manager", "user"), claims.get("x-hasura-allowed-roles"));
        assertEquals("manager", claims.get("x-hasura-default-role"));
    }

    @Test
    void builtInRolesAreAlwaysDroppedAndFallbackFillsAnEmptyList() {
        List<String> allowed = HasuraRoles.allowedRoles(config(),
                List.of("offline_access", "uma_authorization", "default-roles-other"), List.of());
        assertEquals(List.of("user"), allowed);
        assertEquals(List.of("guest"), HasuraRoles.allowedRoles(config(HasuraMapperConfig.FALLBACK_ROLE, "guest"),
                List.of(), List.of()));
    }

    @Test
    void rolesWithoutPriorityAreSortedByName() {
        assertEquals(List.of("a", "b", "c"), HasuraRoles.allowedRoles(config(), List.of("c", "a", "b"), List.of()));
    }

    @Test
    void attributeOverridePicksDefaultRoleOnlyWhenAllowed() {
        HasuraMapperConfig cfg = config(HasuraMapperConfig.ROLE_PRIORITY, "manager,user");
        List<String> allowed = List.of("manager", "user");
        assertEquals("user", HasuraRoles.defaultRole(cfg, allowed, Map.of("hasura_default_role", List.of("user"))));
        assertEquals("manager", HasuraRoles.defaultRole(cfg, allowed, Map.of("hasura_default_role", List.of("admin"))));
        assertEquals("manager", HasuraRoles.defaultRole(cfg, List.of("manager", "user"), Map.of()));
        HasuraMapperConfig custom = config(HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE, "preferred");
        assertEquals("user", HasuraRoles.defaultRole(custom, allowed, Map.of("preferred", List.of("user"))));
    }

    @Test
    void defaultRoleFallsBackToFallbackThenFirstAllowed() {
        HasuraMapperConfig cfg = config();
        assertEquals("user", HasuraRoles.defaultRole(cfg, List.of("editor", "user"), Map.of()));
        assertEquals("editor", HasuraRoles.defaultRole(cfg, List.of("editor", "viewer"), Map.of()));
    }

    @Test
    void clientRolesAreUsedAccordingToSource() {
        HasuraMapperConfig clientOnly = config(HasuraMapperConfig.ROLES_SOURCE, "client", HasuraMapperConfig.ROLES_CLIENT, "api");
        assertEquals(List.of("editor"), HasuraRoles.allowedRoles(clientOnly, List.of("user"), List.of("editor")));
        HasuraMapperConfig both = config(HasuraMapperConfig.ROLES_SOURCE, "realm_and_client", HasuraMapperConfig.ROLES_CLIENT, "api");
        assertEquals(List.of("editor", "user"), HasuraRoles.allowedRoles(both, List.of("user"), List.of("editor", "user")));
        assertEquals(List.of("user"), HasuraRoles.allowedRoles(config(), List.of("user"), List.of("editor")));
    }

    @Test
    void prefixFilterStripsOrKeepsThePrefix() {
        HasuraMapperConfig strip = config(HasuraMapperConfig.ROLES_PREFIX, "hasura-");
        assertEquals(List.of("editor"), HasuraRoles.allowedRoles(strip, List.of("hasura-editor", "user", "hasura-"), List.of()));
        HasuraMapperConfig keep = config(HasuraMapperConfig.ROLES_PREFIX, "hasura-", HasuraMapperConfig.ROLES_PREFIX_STRIP, "false");
        assertEquals(List.of("hasura-editor"), HasuraRoles.allowedRoles(keep, List.of("hasura-editor", "user"), List.of()));
    }

    @Test
    void allowListAppliesAfterPrefixStripping() {
        HasuraMapperConfig cfg = config(HasuraMapperConfig.ROLES_PREFIX, "h-", HasuraMapperConfig.ROLES_ALLOWED, "editor");
        assertEquals(List.of("editor"), HasuraRoles.allowedRoles(cfg, List.of("h-editor", "h-admin"), List.of()));
        HasuraMapperConfig onlyList = config(HasuraMapperConfig.ROLES_ALLOWED, "user,manager");
        assertEquals(List.of("manager", "user"), HasuraRoles.allowedRoles(onlyList, List.of("user", "manager", "admin"), List.of()));
    }

    @Test
    void userIdFromUsernameOrAttributeOrOmittedWhenAttributeMissing() {
        HasuraClaims.Subject s = subject(List.of("user"), List.of(), Map.of("employee_no", List.of("42")));
        assertEquals("alice", HasuraClaims.compute(config(HasuraMapperConfig.USER_ID_SOURCE, "username"), s).get("x-hasura-user-id"));
        HasuraMapperConfig attr = config(HasuraMapperConfig.USER_ID_SOURCE, "attribute", HasuraMapperConfig.USER_ID_ATTRIBUTE, "employee_no");
        assertEquals("42", HasuraClaims.compute(attr, s).get("x-hasura-user-id"));
        HasuraMapperConfig missing = config(HasuraMapperConfig.USER_ID_SOURCE, "attribute", HasuraMapperConfig.USER_ID_ATTRIBUTE, "nope");
        assertFalse(HasuraClaims.compute(missing, s).containsKey("x-hasura-user-id"));
    }

    @Test
    void attributesBecomeStringSessionVariablesAndMultiValuedBecomeArrayLiterals() {
        HasuraMapperConfig cfg = config(HasuraMapperConfig.SESSION_VARIABLES, "org_id, org_id:org-id, teams, tags[]:tag-list, absent");
        Map<String, List<String>> attributes = Map.of(
                "org_id", List.of("7"),
                "teams", List.of("red", "blue team"),
                "tags", List.of("one"));
        Map<String, Object> claims = HasuraClaims.compute(cfg, subject(List.of("user"), List.of(), attributes));
        assertEquals("7", claims.get("x-hasura-org_id"));
        assertEquals("7", claims.get("x-hasura-org-id"));
        assertEquals("{red,\"blue team\"}", claims.get("x-hasura-teams"));
        assertEquals("{one}", claims.get("x-hasura-tag-list"));
        assertFalse(claims.containsKey("x-hasura-absent"));
    }

    @Test
    void groupPathsBecomeASortedArrayLiteral() {
        HasuraMapperConfig cfg = config(HasuraMapperConfig.GROUPS_VARIABLE, "groups");
        HasuraClaims.Subject s = new HasuraClaims.Subject("id", "u", Map.of(), List.of("user"), List.of(),
                List.of("/staff/sales", "/admins"));
        assertEquals("{/admins,/staff/sales}", HasuraClaims.compute(cfg, s).get("x-hasura-groups"));
        HasuraClaims.Subject none = new HasuraClaims.Subject("id", "u", Map.of(), List.of("user"), List.of(), List.of());
        assertEquals("{}", HasuraClaims.compute(cfg, none).get("x-hasura-groups"));
    }

    @Test
    void everyValueIsAStringExceptAllowedRoles() {
        HasuraMapperConfig cfg = config(HasuraMapperConfig.SESSION_VARIABLES, "a,b", HasuraMapperConfig.GROUPS_VARIABLE, "g");
        Map<String, Object> claims = HasuraClaims.compute(cfg,
                new HasuraClaims.Subject("id", "u", Map.of("a", List.of("1"), "b", List.of("1", "2")),
                        List.of("user"), List.of(), List.of("/x")));
        claims.forEach((key, value) -> {
            if (key.equals("x-hasura-allowed-roles")) {
                assertInstanceOf(List.class, value);
            } else {
                assertInstanceOf(String.class, value, key);
            }
        });
    }

    @Test
    void stringifiedFormatRendersJsonText() throws Exception {
        HasuraMapperConfig cfg = config(HasuraMapperConfig.CLAIMS_FORMAT, "stringified_json");
        Map<String, Object> claims = HasuraClaims.compute(cfg, subject(List.of("user"), List.of(), Map.of()));
        Object rendered = HasuraClaims.render(cfg, claims);
        assertInstanceOf(String.class, rendered);
        Map<?, ?> parsed = new ObjectMapper().readValue((String) rendered, Map.class);
        assertEquals(List.of("user"), parsed.get("x-hasura-allowed-roles"));
        assertEquals("user", parsed.get("x-hasura-default-role"));
        assertTrue(HasuraClaims.render(config(), claims) instanceof Map);
    }

    @Test
    void hasurasAdminRoleIsNeverIssuedFromRealmOrClientRoles() {
        assertEquals(List.of("user"), HasuraRoles.allowedRoles(config(), List.of("admin", "user"), List.of()));
        assertEquals(List.of("user"), HasuraRoles.allowedRoles(config(), List.of("admin"), List.of()),
                "a user whose only role is admin gets the fallback role");
        HasuraMapperConfig both = config(HasuraMapperConfig.ROLES_SOURCE, "realm_and_client", HasuraMapperConfig.ROLES_CLIENT, "api");
        assertEquals(List.of("editor"), HasuraRoles.allowedRoles(both, List.of("admin"), List.of("admin", "editor")));
        Map<String, Object> claims = HasuraClaims.compute(config(HasuraMapperConfig.ROLE_PRIORITY, "admin,user"),
                subject(List.of("admin", "user"), List.of(), Map.of("hasura_default_role", List.of("admin"))));
        assertEquals(List.of("user"), claims.get("x-hasura-allowed-roles"));
        assertEquals("user", claims.get("x-hasura-default-role"));
    }

    @Test
    void hasurasAdminRoleIsNeverIssuedAfterPrefixStripping() {
        HasuraMapperConfig strip = config(HasuraMapperConfig.ROLES_PREFIX, "hasura-");
        assertEquals(List.of("editor"), HasuraRoles.allowedRoles(strip, List.of("hasura-admin", "hasura-editor"), List.of()));
        assertEquals(List.of("user"), HasuraRoles.allowedRoles(strip, List.of("hasura-admin"), List.of()));
        // Without stripping the role is "hasura-admin", which is not Hasura's reserved role.
        HasuraMapperConfig keep = config(HasuraMapperConfig.ROLES_PREFIX, "hasura-", HasuraMapperConfig.ROLES_PREFIX_STRIP, "false");
        assertEquals(List.of("hasura-admin"), HasuraRoles.allowedRoles(keep, List.of("hasura-admin"), List.of()));
    }

    @Test
    void hasurasAdminRoleIsIssuedWhenTheAllowListNamesIt() {
        HasuraMapperConfig allowed = config(HasuraMapperConfig.ROLES_ALLOWED, "user,admin", HasuraMapperConfig.ROLE_PRIORITY, "admin,user");
        Map<String, Object> claims = HasuraClaims.compute(allowed, subject(List.of("admin", "user"), List.of(), Map.of()));
        assertEquals(List.of("admin", "user"), claims.get("x-hasura-allowed-roles"));
        assertEquals("admin", claims.get("x-hasura-default-role"));
        HasuraMapperConfig stripped = config(HasuraMapperConfig.ROLES_PREFIX, "hasura-", HasuraMapperConfig.ROLES_ALLOWED, "admin");
        assertEquals(List.of("admin"), HasuraRoles.allowedRoles(stripped, List.of("hasura-admin"), List.of()));
        assertTrue(HasuraRoles.mayIssue(allowed, "admin"));
        assertFalse(HasuraRoles.mayIssue(config(HasuraMapperConfig.ROLES_ALLOWED, "user,manager"), "admin"));
        assertTrue(HasuraRoles.mayIssue(config(), "Admin"), "Hasura's reserved role name is exactly \"admin\"");
    }

    @Test
    void storedAdminFallbackThatIsNotAllowedGivesNoClaimsRatherThanAdmin() {
        HasuraMapperConfig cfg = config(HasuraMapperConfig.FALLBACK_ROLE, "admin");
        assertEquals(List.of(), HasuraRoles.allowedRoles(cfg, List.of("admin"), List.of()));
        assertEquals(null, HasuraRoles.defaultRole(cfg, List.of(), Map.of()));
        assertTrue(HasuraClaims.compute(cfg, subject(List.of("offline_access"), List.of(), Map.of())).isEmpty());
        // Users holding another role are unaffected.
        assertEquals(List.of("user"), HasuraClaims.compute(cfg, subject(List.of("user", "admin"), List.of(), Map.of()))
                .get("x-hasura-allowed-roles"));
        // Allowed on purpose: the fallback applies.
        HasuraMapperConfig allowed = config(HasuraMapperConfig.FALLBACK_ROLE, "admin", HasuraMapperConfig.ROLES_ALLOWED, "admin");
        assertEquals(List.of("admin"), HasuraRoles.allowedRoles(allowed, List.of(), List.of()));
    }
}
