package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import graphql.introspection.IntrospectionQueryBuilder;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Document;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.stack.StackFiles.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each role's remote schema permission in hasura/metadata/remote_schemas.yaml, validated with Hasura's rules
 * ({@link HasuraRoleSchemaCheck}) against the schema the running endpoint serves to Hasura's introspection
 * request, and the validator shown to reject what Hasura rejects.
 */
@ExtendWith(KeycloakExtension.class)
class RemoteSchemaPermissionsIT {

    /** Hasura's introspection of a remote schema: its admin session as headers, the classic query, no token. */
    static Document introspect(KeycloakServer server) throws Exception {
        String query = IntrospectionQueryBuilder.build(IntrospectionQueryBuilder.Options.defaultOptions()
                .descriptions(true).specifiedByUrl(false).directiveIsRepeatable(false).schemaDescription(false)
                .inputValueDeprecation(false).isOneOf(false).typeRefFragmentDepth(7));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("variables", null);
        body.put("operationName", "IntrospectionQuery");
        Http.Response r = Http.send(HttpRequest.newBuilder(URI.create(server.realmUrl() + "/graphql"))
                .header("Content-Type", "application/json")
                .header("User-Agent", "hasura-graphql-engine/v2.40.0")
                .header("x-hasura-role", "admin")
                .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body))));
        assertEquals(200, r.status(), r.toString());
        JsonNode data = r.json().get("data");
        assertTrue(r.json().path("errors").isMissingNode(), r.body());
        Map<String, Object> result = Http.JSON.convertValue(data, new TypeReference<Map<String, Object>>() {
        });
        return new IntrospectionResultToSchema().createSchemaDefinition(result);
    }

    @Test
    void everyRolesPermissionIsValidAgainstTheIntrospectedSchema(KeycloakServer server) throws Exception {
        HasuraRoleSchemaCheck check = new HasuraRoleSchemaCheck(introspect(server));
        JsonNode permissions = yaml("hasura/metadata/remote_schemas.yaml").get(0).get("permissions");
        assertTrue(permissions.size() >= 3, permissions.toString());
        for (JsonNode permission : permissions) {
            assertEquals(List.of(), check.problems(permission.at("/definition/schema").asText()),
                    "role " + permission.get("role").asText());
        }
    }

    @Test
    void theValidatorRejectsWhatHasuraRejects(KeycloakServer server) throws Exception {
        HasuraRoleSchemaCheck check = new HasuraRoleSchemaCheck(introspect(server));
        String manager = null;
        for (JsonNode permission : yaml("hasura/metadata/remote_schemas.yaml").get(0).get("permissions")) {
            manager = permission.get("role").asText().equals("manager") ? permission.at("/definition/schema").asText() : manager;
        }
        RemoteSchemaPermissionsTest.assertRejectsWhatHasuraRejects(check, manager);
    }
}
