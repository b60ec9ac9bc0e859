package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HasuraMapperConfigTest {

    @Test
    void emptyConfigGivesDocumentedDefaults() {
        HasuraMapperConfig cfg = HasuraMapperConfig.parse(Map.of());
        assertEquals("https://hasura.io/jwt/claims", cfg.namespace());
        assertEquals(HasuraMapperConfig.Format.JSON, cfg.format());
        assertEquals(HasuraMapperConfig.RolesSource.REALM, cfg.rolesSource());
        assertEquals("user", cfg.roles().fallbackRole());
        assertEquals("hasura_default_role", cfg.roles().defaultRoleAttribute());
        assertEquals(HasuraMapperConfig.UserIdSource.ID, cfg.userIdSource());
        assertTrue(cfg.roles().priority().isEmpty());
        assertTrue(cfg.sessionVariables().isEmpty());
        assertNull(cfg.groupsVariable());
        assertTrue(cfg.roles().stripPrefix());
    }

    @Test
    void nullConfigIsTreatedAsEmpty() {
        assertEquals("user", HasuraMapperConfig.parse(null).roles().fallbackRole());
    }

    @Test
    void sessionVariablesAreNormalisedToLowerCaseHasuraNames() {
        HasuraMapperConfig cfg = HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.SESSION_VARIABLES,
                "orgId:X-Hasura-Org-Id,\nteam[] , region:Region"));
        assertEquals(List.of(
                new HasuraMapperConfig.SessionVariable("orgId", "x-hasura-org-id", false),
                new HasuraMapperConfig.SessionVariable("team", "x-hasura-team", true),
                new HasuraMapperConfig.SessionVariable("region", "x-hasura-region", false)), cfg.sessionVariables());
    }

    @Test
    void userAttributesAreEveryAttributeTheClaimsRead() {
        assertEquals(List.of("hasura_default_role"), List.copyOf(HasuraMapperConfig.parse(Map.of()).userAttributes()));
        HasuraMapperConfig cfg = HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.SESSION_VARIABLES, "orgId:X-Hasura-Org-Id,team[]",
                HasuraMapperConfig.USER_ID_SOURCE, "attribute", HasuraMapperConfig.USER_ID_ATTRIBUTE, "legacy_id",
                HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE, "preferred_role"));
        assertEquals(List.of("preferred_role", "legacy_id", "orgId", "team"), List.copyOf(cfg.userAttributes()));
        // The user-id attribute counts only when the user id comes from it.
        assertEquals(List.of("hasura_default_role"), List.copyOf(HasuraMapperConfig.parse(
                Map.of(HasuraMapperConfig.USER_ID_ATTRIBUTE, "legacy_id")).userAttributes()));
    }

    @Test
    void userAttributesNamedInABrokenConfigurationAreReadLeniently() {
        Map<String, String> broken = Map.of(HasuraMapperConfig.SESSION_VARIABLES, "org_id:bad name!, teams[]:t,\nregion",
                HasuraMapperConfig.USER_ID_ATTRIBUTE, "legacy_id");
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(broken));
        assertEquals(List.of("hasura_default_role", "legacy_id", "org_id", "teams", "region"),
                List.copyOf(HasuraMapperConfig.userAttributesNamedIn(broken)));
        // A blank default-role option means the default attribute, parsed or not.
        assertEquals(List.of("hasura_default_role", "orgId"), List.copyOf(HasuraMapperConfig.userAttributesNamedIn(Map.of(
                HasuraMapperConfig.SESSION_VARIABLES, "orgId", HasuraMapperConfig.DEFAULT_ROLE_ATTRIBUTE, " "))));
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(delimiter = '|', value = {
            "claim.name|has space",
            "hasura.claims.format|xml",
            "hasura.roles.source|groups",
            "hasura.roles.source|client",
            "hasura.roles.fallback|a,b",
            "hasura.roles.fallback|two words",
            "hasura.roles.priority|manager,,user",
            "hasura.roles.allowed|manager, ,user",
            "hasura.roles.prefix|a b",
            "hasura.roles.prefix.strip|maybe",
            "hasura.user-id.source|email",
            "hasura.user-id.source|attribute",
            "hasura.session-variables|org id",
            "hasura.session-variables|org:bad name!",
            "hasura.session-variables|org:",
            "hasura.session-variables|user_id:user-id",
            "hasura.session-variables|a:x,b:x",
            "hasura.session-variables|role:default-role",
            "hasura.session-variables|[]",
            "hasura.groups.variable|allowed-roles",
            "hasura.groups.variable|g r",
    })
    void nonsenseIsRejectedWithAClearMessage(String key, String value) {
        Map<String, String> raw = new HashMap<>();
        raw.put(key, value);
        InvalidMapperConfigException e = assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(raw));
        assertTrue(e.getMessage().length() > 10, e.getMessage());
    }

    @ParameterizedTest(name = "{0}={1} is refused: a reserved Hasura name")
    @CsvSource(delimiter = '|', value = {
            "hasura.session-variables|team:role",
            "hasura.session-variables|team:X-Hasura-Role",
            "hasura.session-variables|team:ROLE",
            "hasura.session-variables|role",
            "hasura.session-variables|Role",
            "hasura.session-variables|x-hasura-role",
            "hasura.session-variables|org:org,team[]:x-HASURA-role",
            "hasura.session-variables|team:allowed-roles",
            "hasura.session-variables|team:X-Hasura-Default-Role",
            "hasura.session-variables|team:User-Id",
            "hasura.session-variables|team:admin-secret",
            "hasura.session-variables|team:use-backend-only-permissions",
            "hasura.groups.variable|role",
            "hasura.groups.variable|X-Hasura-Role",
            "hasura.groups.variable|default-role",
            "hasura.groups.variable|x-hasura-USER-ID",
    })
    void reservedHasuraNamesAreRefusedWhenReadAndSoWhenSaved(String key, String value) {
        InvalidMapperConfigException e = assertThrows(InvalidMapperConfigException.class,
                () -> HasuraMapperConfig.parse(Map.of(key, value)));
        assertTrue(e.getMessage().contains("reserves"), e.getMessage());
    }

    @Test
    void namesThatOnlyResembleReservedOnesAreAccepted() {
        HasuraMapperConfig cfg = HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.SESSION_VARIABLES,
                "team:roles,org:role_id,x:team-role", HasuraMapperConfig.GROUPS_VARIABLE, "user-ids"));
        assertEquals(List.of("x-hasura-roles", "x-hasura-role_id", "x-hasura-team-role"),
                cfg.sessionVariables().stream().map(HasuraMapperConfig.SessionVariable::variable).toList());
        assertEquals("x-hasura-user-ids", cfg.groupsVariable());
    }

    @Test
    void clientSourceWithClientIdIsAccepted() {
        HasuraMapperConfig cfg = HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.ROLES_SOURCE, "client",
                HasuraMapperConfig.ROLES_CLIENT, "hasura-app"));
        assertEquals("hasura-app", cfg.rolesClientId());
    }

    @Test
    void duplicatePriorityEntriesAreCollapsed() {
        assertEquals(List.of("manager", "user"),
                HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.ROLE_PRIORITY, "manager, user,manager")).roles().priority());
    }

    @ParameterizedTest(name = "{0}={1} is refused when saved")
    @CsvSource(delimiter = '|', value = {
            "hasura.roles.fallback|admin|Fallback role",
            "hasura.roles.priority|manager,admin,user|Default role priority",
    })
    void adminAsFallbackOrPriorityIsRefusedWhenSavedUnlessAllowed(String key, String value, String option) {
        Map<String, String> raw = new HashMap<>(Map.of(key, value));
        HasuraMapperConfig stored = HasuraMapperConfig.parse(raw); // a stored or imported config still parses
        InvalidMapperConfigException e = assertThrows(InvalidMapperConfigException.class, stored::checkReservedRoles);
        assertTrue(e.getMessage().startsWith(option), e.getMessage());
        assertTrue(e.getMessage().contains("hasura.roles.allowed"), e.getMessage());

        raw.put(HasuraMapperConfig.ROLES_ALLOWED, "user,manager");
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(raw).checkReservedRoles());
        raw.put(HasuraMapperConfig.ROLES_ALLOWED, "user,manager,admin");
        HasuraMapperConfig.parse(raw).checkReservedRoles();
    }

    @Test
    void ordinaryConfigsPassTheReservedRoleCheck() {
        HasuraMapperConfig.parse(Map.of()).checkReservedRoles();
        HasuraMapperConfig.parse(Map.of(HasuraMapperConfig.ROLE_PRIORITY, "manager,user",
                HasuraMapperConfig.FALLBACK_ROLE, "Admin")).checkReservedRoles();
    }

    @ParameterizedTest(name = "{0}={1} names the option''s label and the value")
    @CsvSource(delimiter = '|', value = {
            "hasura.elevation-window|-1|Elevation window (seconds) must be a whole number of seconds from 0 to 86400, not '-1'.",
            "hasura.elevation-window|86401|Elevation window (seconds) must be a whole number of seconds from 0 to 86400, not '86401'.",
            "hasura.claims-query.ttl|1h|Claims query TTL (seconds) must be a whole number of seconds from 0 to 86400, not '1h'.",
            "hasura.claims-query.timeout|0|Claims query timeout (ms) must be a whole number of milliseconds from 1 to 30000, not '0'.",
            "hasura.roles.prefix.strip|yes|Strip role prefix must be true or false, not 'yes'.",
            "hasura.claims.format|yaml|Claims format must be json or stringified_json, not 'yaml'.",
            "hasura.roles.allowed|user,,manager|Allowed roles has an empty entry: 'user,,manager'.",
    })
    void badValuesAreRefusedByTheOneOptionReader(String key, String value, String message) {
        InvalidMapperConfigException e = assertThrows(InvalidMapperConfigException.class,
                () -> HasuraMapperConfig.parse(Map.of(key, value)));
        assertEquals(message, e.getMessage());
    }
}
