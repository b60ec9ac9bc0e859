package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.language.FieldDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.TypeName;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.TypeUtil;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.keycloakhasura.it.stack.StackFiles.root;
import static io.github.keycloakhasura.it.stack.StackFiles.text;
import static io.github.keycloakhasura.it.stack.StackFiles.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tables' remote relationships to the Keycloak remote schema ({@code notes.owner → user(id:)}) name columns the
 * migrations create, a field and arguments Keycloak serves, and are usable by every role that reads the table: its
 * select permission has the join columns and its remote schema permission has the field, arguments and result type.
 */
class RemoteRelationshipsTest {

    private static final String TABLES = "hasura/metadata/databases/default/tables/";

    private static TypeDefinitionRegistry served() throws IOException {
        return new SchemaParser().parse(RemoteSchemaPermissionsTest.servedSdl());
    }

    /** Column names of {@code CREATE TABLE public.<table>} in the migrations. */
    private static Set<String> columns(String table) throws IOException {
        Pattern create = Pattern.compile("CREATE TABLE (?:public\\.)?" + table + "\\s*\\((.*?)\\);", Pattern.DOTALL);
        Set<String> columns = new HashSet<>();
        try (Stream<Path> files = Files.walk(root().resolve("hasura/migrations"))) {
            for (Path up : files.filter(p -> p.getFileName().toString().equals("up.sql")).toList()) {
                Matcher m = create.matcher(Files.readString(up));
                while (m.find()) {
                    for (String line : m.group(1).split(",\\s*\\n")) {
                        columns.add(line.trim().split("\\s+")[0]);
                    }
                }
            }
        }
        return columns;
    }

    private static Optional<FieldDefinition> field(TypeDefinitionRegistry registry, String type, String name) {
        return registry.getType(type, ObjectTypeDefinition.class)
                .flatMap(t -> t.getFieldDefinitions().stream().filter(f -> f.getName().equals(name)).findFirst());
    }

    private static Map<String, String> arguments(FieldDefinition field) {
        return field.getInputValueDefinitions().stream().collect(Collectors.toMap(InputValueDefinition::getName,
                a -> graphql.language.AstPrinter.printAst(a.getType())));
    }

    @Test
    void notesOwnerJoinsUserByIdForEveryRoleThatReadsNotes() throws IOException {
        TypeDefinitionRegistry served = served();
        JsonNode remoteSchemas = yaml("hasura/metadata/remote_schemas.yaml");
        int checked = 0;
        for (JsonNode include : yaml(TABLES + "tables.yaml")) {
            JsonNode table = yaml(TABLES + include.asText().replace("!include ", "").trim());
            String tableName = table.at("/table/name").asText();
            Set<String> columns = columns(tableName);
            assertFalse(columns.isEmpty(), "no CREATE TABLE for " + tableName + " in hasura/migrations");
            for (JsonNode relationship : table.path("remote_relationships")) {
                String name = relationship.get("name").asText();
                JsonNode to = relationship.at("/definition/to_remote_schema");
                assertFalse(to.isMissingNode(), name + ": only to_remote_schema relationships are expected");
                assertFalse(columns.contains(name), name + " clashes with a column of " + tableName);

                JsonNode remoteSchema = null;
                for (JsonNode schema : remoteSchemas) {
                    if (schema.get("name").asText().equals(to.get("remote_schema").asText())) {
                        remoteSchema = schema;
                    }
                }
                assertNotNull(remoteSchema, name + ": no remote schema " + to.get("remote_schema"));
                Set<String> lhs = new HashSet<>();
                to.get("lhs_fields").forEach(f -> lhs.add(f.asText()));
                assertTrue(columns.containsAll(lhs), name + ": " + lhs + " not all columns of " + tableName + " " + columns);

                assertEquals(1, to.get("remote_field").size(), name + ": one root field");
                String rootField = to.get("remote_field").fieldNames().next();
                JsonNode arguments = to.get("remote_field").get(rootField).get("arguments");
                FieldDefinition servedField = field(served, "Query", rootField)
                        .orElseThrow(() -> new AssertionError(name + ": Keycloak serves no Query." + rootField));
                Map<String, String> servedArgs = arguments(servedField);
                for (Iterator<Map.Entry<String, JsonNode>> it = arguments.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> arg = it.next();
                    assertTrue(servedArgs.containsKey(arg.getKey()), name + ": " + rootField + " has no argument " + arg.getKey());
                    String value = arg.getValue().asText();
                    assertTrue(value.startsWith("$") && lhs.contains(value.substring(1)),
                            name + ": argument " + arg.getKey() + " = " + value + " must be $<one of " + lhs + ">");
                }
                servedArgs.forEach((arg, type) -> assertTrue(!type.endsWith("!") || arguments.has(arg),
                        name + ": required argument " + arg + " is not given"));
                String resultType = TypeUtil.unwrapAll(servedField.getType()).getName();

                // Every role reading the table can use the join: it reads the columns and may call the field.
                List<String> readers = table.path("select_permissions").findValuesAsText("role");
                assertFalse(readers.isEmpty(), tableName + " has no select permissions");
                for (JsonNode select : table.path("select_permissions")) {
                    String role = select.get("role").asText();
                    Set<String> readable = new HashSet<>();
                    select.at("/permission/columns").forEach(c -> readable.add(c.asText()));
                    assertTrue(readable.containsAll(lhs), role + " cannot read the join columns " + lhs + " of " + tableName);
                    JsonNode permission = null;
                    for (JsonNode p : remoteSchema.get("permissions")) {
                        if (p.get("role").asText().equals(role)) {
                            permission = p;
                        }
                    }
                    assertNotNull(permission, role + " has no permission on remote schema " + remoteSchema.get("name"));
                    TypeDefinitionRegistry allowed = new SchemaParser().parse(permission.at("/definition/schema").asText());
                    FieldDefinition allowedField = field(allowed, "Query", rootField)
                            .orElseThrow(() -> new AssertionError(role + " may not call " + rootField));
                    assertEquals(servedArgs, arguments(allowedField), role + ": " + rootField + " arguments");
                    assertEquals(resultType, ((TypeName) TypeUtil.unwrapAll(allowedField.getType())).getName());
                    assertTrue(field(allowed, resultType, "username").isPresent() && field(allowed, resultType, "email").isPresent(),
                            role + " cannot select username and email of " + resultType);
                }
                checked++;
            }
        }
        assertTrue(checked >= 1, "expected the notes.owner remote relationship");
        assertTrue(text(TABLES + "public_notes.yaml").contains("name: owner"), "notes.owner is part of the documented API");
    }
}
