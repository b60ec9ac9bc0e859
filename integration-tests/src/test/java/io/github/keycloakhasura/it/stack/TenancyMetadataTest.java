package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.github.keycloakhasura.it.stack.StackFiles.realmExport;
import static io.github.keycloakhasura.it.stack.StackFiles.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multi-tenant example (hasura/ projects, realm export): every permission on the org-scoped table confines rows to
 * the token's active organization (X-Hasura-Org-Id), org_admin has rights beyond user's, and the export turns
 * organizations on for the realm and the Hasura mapper, with no organization of its own (tests create theirs).
 */
class TenancyMetadataTest {

    private static final String PROJECTS = "hasura/metadata/databases/default/tables/public_projects.yaml";

    @Test
    void everyProjectsPermissionIsConfinedToTheActiveOrganization() {
        JsonNode table = yaml(PROJECTS);
        int count = 0;
        for (String kind : List.of("insert_permissions", "select_permissions", "update_permissions", "delete_permissions")) {
            for (JsonNode permission : table.path(kind)) {
                String role = permission.get("role").asText();
                assertTrue(Set.of("user", "org_admin").contains(role), kind + " " + role);
                JsonNode rule = permission.get("permission");
                JsonNode filter = kind.equals("insert_permissions") ? rule.get("check") : rule.get("filter");
                assertTrue(filter.toString().contains("{\"org_id\":{\"_eq\":\"X-Hasura-Org-Id\"}}"), kind + " " + role + ": " + filter);
                if (kind.equals("insert_permissions")) {
                    assertEquals("x-hasura-Org-Id", rule.at("/set/org_id").asText(), "org_id is set from the token, never sent");
                }
                count++;
            }
        }
        assertEquals(7, count);
    }

    @Test
    void orgAdminMayDoMoreThanAUserInItsOrganization() {
        JsonNode table = yaml(PROJECTS);
        assertEquals(Set.of("org_admin"), roles(table.path("delete_permissions")));
        assertTrue(columns(table, "update_permissions", "org_admin").containsAll(columns(table, "update_permissions", "user")));
        assertTrue(columns(table, "update_permissions", "org_admin").contains("archived"));
        assertTrue(!columns(table, "update_permissions", "user").contains("archived"));
    }

    @Test
    void theExportEnablesOrganizationsAndTheMapperOptionWithoutShippingAnOrganization() {
        JsonNode realm = realmExport();
        assertTrue(realm.path("organizationsEnabled").asBoolean());
        assertTrue(realm.path("organizations").isMissingNode() || realm.path("organizations").isEmpty());
        JsonNode mapper = null;
        for (JsonNode scope : realm.path("clientScopes")) {
            for (JsonNode m : scope.path("protocolMappers")) {
                if (m.path("protocolMapper").asText().equals("hasura-claims-mapper")) {
                    mapper = m.get("config");
                }
            }
        }
        assertEquals("true", mapper.path("hasura.organizations").asText());
        assertEquals("admins:org_admin", mapper.path("hasura.organizations.group-roles").asText());
    }

    private static Set<String> roles(JsonNode permissions) {
        Set<String> roles = new TreeSet<>();
        permissions.forEach(p -> roles.add(p.get("role").asText()));
        return roles;
    }

    private static Set<String> columns(JsonNode table, String kind, String role) {
        Set<String> columns = new TreeSet<>();
        for (JsonNode p : table.path(kind)) {
            if (p.get("role").asText().equals(role)) {
                p.at("/permission/columns").forEach(c -> columns.add(c.asText()));
            }
        }
        return columns;
    }
}
