package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.language.FieldDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.AstPrinter;
import graphql.language.ScalarTypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.keycloakhasura.it.stack.StackFiles.root;
import static io.github.keycloakhasura.it.stack.StackFiles.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hasura's remote schema permissions (hasura/metadata/remote_schemas.yaml) must be subsets of the schema Keycloak
 * serves, or Hasura refuses the metadata; and the remote root fields must not clash with the tables' root fields.
 */
class RemoteSchemaPermissionsTest {

    private static TypeDefinitionRegistry served() throws IOException {
        return new SchemaParser().parse(servedSdl());
    }

    /**
     * The schema Keycloak serves, as one SDL document: every capability's part (schema.graphqls and the capability
     * packages' .graphqls) merged, each type's extensions folded into it (a capability extends Query and Mutation).
     */
    static String servedSdl() throws IOException {
        TypeDefinitionRegistry merged = new TypeDefinitionRegistry();
        try (Stream<Path> files = Files.walk(root().resolve("graphql-realm-resource/src/main/resources"))) {
            List<Path> schemas = files.filter(p -> p.toString().endsWith(".graphqls")).sorted().toList();
            assertTrue(schemas.stream().anyMatch(p -> p.endsWith("schema.graphqls")), "schema.graphqls expected: " + schemas);
            for (Path schema : schemas) {
                merged.merge(new SchemaParser().parse(Files.readString(schema)));
            }
        }
        // The engine reads the schema's own directives (@credential) and serves the schema without them.
        List<graphql.language.Definition> definitions = new java.util.ArrayList<>();
        merged.schemaDefinition().ifPresent(definitions::add);
        merged.scalars().values().stream()
                .filter(d -> !graphql.schema.idl.ScalarInfo.isGraphqlSpecifiedScalar(d.getName())).forEach(definitions::add);
        for (graphql.language.TypeDefinition<?> type : merged.types().values()) {
            if (type instanceof ObjectTypeDefinition object) {
                List<FieldDefinition> fields = new java.util.ArrayList<>(object.getFieldDefinitions());
                merged.objectTypeExtensions().getOrDefault(object.getName(), List.of()).forEach(e -> fields.addAll(e.getFieldDefinitions()));
                List<FieldDefinition> plain = fields.stream().map(f -> f.transform(b -> b.directives(List.of()))).toList();
                type = object.transform(b -> b.fieldDefinitions(plain));
            }
            definitions.add(type);
        }
        return AstPrinter.printAst(graphql.language.Document.newDocument().definitions(definitions).build());
    }

    private static Map<String, String> signature(FieldDefinition field) {
        Map<String, String> args = field.getInputValueDefinitions().stream()
                .collect(Collectors.toMap(InputValueDefinition::getName, a -> AstPrinter.printAst(a.getType())));
        args.put("->", AstPrinter.printAst(field.getType()));
        return args;
    }

    @Test
    void everyRolesSchemaIsAValidSubsetOfTheServedSchema() throws IOException {
        TypeDefinitionRegistry served = served();
        JsonNode permissions = yaml("hasura/metadata/remote_schemas.yaml").get(0).get("permissions");
        assertTrue(permissions.size() >= 3);
        for (JsonNode permission : permissions) {
            String role = permission.get("role").asText();
            String sdl = permission.at("/definition/schema").asText();
            TypeDefinitionRegistry subset = new SchemaParser().parse(sdl);
            UnExecutableSchemaGenerator.makeUnExecutableSchema(subset); // valid on its own
            for (ObjectTypeDefinition type : subset.getTypes(ObjectTypeDefinition.class)) {
                ObjectTypeDefinition full = served.getType(type.getName(), ObjectTypeDefinition.class).orElse(null);
                assertNotNull(full, role + ": type " + type.getName() + " is not served");
                Map<String, FieldDefinition> fullFields = full.getFieldDefinitions().stream()
                        .collect(Collectors.toMap(FieldDefinition::getName, Function.identity()));
                for (FieldDefinition field : type.getFieldDefinitions()) {
                    FieldDefinition servedField = fullFields.get(field.getName());
                    assertNotNull(servedField, role + ": " + type.getName() + "." + field.getName() + " is not served");
                    assertEquals(signature(servedField), signature(field), role + ": " + type.getName() + "." + field.getName());
                }
            }
            for (ScalarTypeDefinition scalar : subset.getTypes(ScalarTypeDefinition.class)) {
                assertTrue(served.scalars().containsKey(scalar.getName()), role + ": scalar " + scalar.getName());
            }
        }
    }

    /** The roles people sign in with (and the unauthorized role): every permission but the script role's. */
    private static List<JsonNode> interactiveRoles() {
        List<JsonNode> roles = new java.util.ArrayList<>();
        yaml("hasura/metadata/remote_schemas.yaml").get(0).get("permissions").forEach(p -> {
            if (!p.get("role").asText().equals(SCRIPT)) {
                roles.add(p);
            }
        });
        assertTrue(roles.size() >= 3, roles.toString());
        return roles;
    }

    private static final String SCRIPT = "script";

    @Test
    void theScriptRoleOnlyAsksWhoItIsAndReadsUsersByIdNeverAMutation() {
        JsonNode script = null;
        for (JsonNode permission : yaml("hasura/metadata/remote_schemas.yaml").get(0).get("permissions")) {
            if (permission.get("role").asText().equals(SCRIPT)) {
                script = permission;
            }
        }
        assertNotNull(script, "hasura/ shows a script role (issue 23)");
        TypeDefinitionRegistry subset = new SchemaParser().parse(script.at("/definition/schema").asText());
        assertEquals(Set.of("whoami", "user"), fields(subset, "Query"));
        assertTrue(subset.getType("Mutation").isEmpty(), "a script token signs no one in, changes no account, makes no token");
    }

    @Test
    void unauthorizedRoleMayLogInSignUpAndRefreshButNotListUsers() {
        for (JsonNode permission : interactiveRoles()) {
            TypeDefinitionRegistry subset = new SchemaParser().parse(permission.at("/definition/schema").asText());
            Set<String> mutations = fields(subset, "Mutation");
            Set<String> queries = fields(subset, "Query");
            assertTrue(mutations.containsAll(Set.of("tokenAuth", "createUser", "refreshToken", "verifyToken")), mutations.toString());
            boolean listsUsers = queries.contains("users");
            assertEquals(permission.get("role").asText().equals("manager"), listsUsers, permission.get("role") + " " + queries);
        }
    }

    @Test
    void everyInteractiveRoleMayResetAPasswordAndVerifyAnEmailByEmailLink() {
        for (JsonNode permission : interactiveRoles()) {
            Set<String> mutations = fields(new SchemaParser().parse(permission.at("/definition/schema").asText()), "Mutation");
            assertTrue(mutations.containsAll(Set.of("sendPasswordResetEmail", "passwordReset", "resendActivationEmail",
                    "verifyAccount")), permission.get("role") + " " + mutations);
        }
    }

    @Test
    void anonymousMaySignInWithoutAPassword() {
        for (JsonNode permission : yaml("hasura/metadata/remote_schemas.yaml").get(0).get("permissions")) {
            if (permission.get("role").asText().equals("anonymous")) {
                Set<String> mutations = fields(new SchemaParser().parse(permission.at("/definition/schema").asText()), "Mutation");
                assertTrue(mutations.containsAll(Set.of("sendLoginLink", "loginWithLink", "loginWithCode")), mutations.toString());
                return;
            }
        }
        throw new AssertionError("no anonymous permission");
    }

    @Test
    void remoteRootFieldsDoNotClashWithTableRootFields() throws IOException {
        TypeDefinitionRegistry served = served();
        Set<String> remote = new HashSet<>(fields(served, "Query"));
        remote.addAll(fields(served, "Mutation"));
        Set<String> tableFields = new HashSet<>();
        JsonNode tables = yaml("hasura/metadata/databases/default/tables/tables.yaml");
        for (JsonNode include : tables) {
            String file = include.asText().replace("!include ", "").trim();
            JsonNode table = yaml("hasura/metadata/databases/default/tables/" + file).get("table");
            String name = table.get("name").asText();
            // Hasura's generated root fields, unless the table's configuration renames them (custom_root_fields).
            JsonNode custom = yaml("hasura/metadata/databases/default/tables/" + file).at("/configuration/custom_root_fields");
            Map<String, String> patterns = new LinkedHashMap<>();
            patterns.put("select", "%s");
            patterns.put("select_by_pk", "%s_by_pk");
            patterns.put("select_aggregate", "%s_aggregate");
            patterns.put("select_stream", "%s_stream");
            patterns.put("insert", "insert_%s");
            patterns.put("insert_one", "insert_%s_one");
            patterns.put("update", "update_%s");
            patterns.put("update_by_pk", "update_%s_by_pk");
            patterns.put("update_many", "update_%s_many");
            patterns.put("delete", "delete_%s");
            patterns.put("delete_by_pk", "delete_%s_by_pk");
            patterns.forEach((key, pattern) -> tableFields.add(
                    custom.hasNonNull(key) ? custom.get(key).asText() : String.format(pattern, name)));
        }
        Set<String> clash = new HashSet<>(remote);
        clash.retainAll(tableFields);
        assertTrue(clash.isEmpty(), "remote schema root fields clash with table root fields: " + clash);
    }

    private static Set<String> fields(TypeDefinitionRegistry registry, String type) {
        return registry.getType(type, ObjectTypeDefinition.class)
                .map(t -> t.getFieldDefinitions().stream().map(FieldDefinition::getName).collect(Collectors.toSet()))
                .orElse(Set.of());
    }

    /** The role schemas checked with Hasura's rules against the schema file (the IT checks the served schema). */
    @Test
    void everyRolesPermissionPassesHasurasValidationAgainstTheSchemaFile() throws IOException {
        {
            HasuraRoleSchemaCheck check = new HasuraRoleSchemaCheck(graphql.parser.Parser.parse(servedSdl()));
            for (JsonNode permission : yaml("hasura/metadata/remote_schemas.yaml").get(0).get("permissions")) {
                String sdl = permission.at("/definition/schema").asText();
                assertEquals(List.of(), check.problems(sdl), permission.get("role").asText());
                if (permission.get("role").asText().equals("manager")) {
                    assertRejectsWhatHasuraRejects(check, sdl);
                }
            }
        }
    }

    /** Enum values and argument defaults, which the served schema has none of, against a small upstream. */
    @Test
    void enumValuesAndDefaultsAreCheckedAsHasuraDoes() {
        HasuraRoleSchemaCheck check = new HasuraRoleSchemaCheck(graphql.parser.Parser.parse(
                "type Query { notes(order: Order = ASC, first: Int = 10): [String!]! }\n enum Order { ASC DESC }"));
        assertEquals(List.of(), check.problems("type Query { notes(order: Order = ASC, first: Int = 10): [String!]! }\n enum Order { ASC }"));
        assertHasProblem(check.problems("type Query { notes(order: Order = ASC, first: Int = 10): [String!]! }\n enum Order { ASC UP }"),
                "value \"UP\"");
        assertHasProblem(check.problems("type Query { notes(order: Order = DESC, first: Int = 10): [String!]! }\n enum Order { ASC DESC }"),
                "default value");
        assertHasProblem(check.problems("type Query { notes(order: Order = ASC, first: Int): [String!]! }\n enum Order { ASC DESC }"),
                "default value");
        assertHasProblem(check.problems("type Query { notes(order: Order = ASC, first: Int = 10): [String]! }\n enum Order { ASC DESC }"),
                "expected type");
    }

    /** Each mutation of a valid role schema is one Hasura refuses; the check must name it. */
    static void assertRejectsWhatHasuraRejects(HasuraRoleSchemaCheck check, String valid) {
        assertEquals(List.of(), check.problems(valid));
        assertHasProblem(check.problems(replaceOnce(valid, "whoami: User", "whoami: User\n  whoever: User")),
                "field \"whoever\" does not exist");
        assertHasProblem(check.problems(replaceOnce(valid, "whoami: User", "whoami: User!")), "expected type of \"Query.whoami\"");
        assertHasProblem(check.problems(replaceOnce(valid, "ObtainJSONWebToken {\n  token: String!", "ObtainJSONWebToken {\n  token: String")), "expected type of \"ObtainJSONWebToken.token\"");
        assertHasProblem(check.problems(replaceOnce(valid, "tokenAuth(username: String!, password: String!,", "tokenAuth(username: String!,")),
                "non nullable argument \"password\"");
        assertHasProblem(check.problems(replaceOnce(valid, "password: String!, clientId", "password: String, clientId")),
                "non nullable argument \"password\"");
        assertHasProblem(check.problems(replaceOnce(valid, "clientId: String,", "clientId: String, tenant: String,")),
                "input argument \"tenant\" does not exist");
        assertHasProblem(check.problems(replaceOnce(valid, "scalar JSON", "")), "type \"JSON\" is used but not defined");
        assertHasProblem(check.problems(valid + "\nscalar Upload\n"), "scalar \"Upload\" does not exist");
        assertHasProblem(check.problems(replaceOnce(valid, "first: Int,", "first: Int = 5,")), "default value");
        assertHasProblem(check.problems(replaceOnce(valid, "first: Int,", "first: String,")), "expected type of argument");
        assertHasProblem(check.problems(valid + "\nenum Role { admin }\n"), "\"Role\" does not exist");
        assertHasProblem(check.problems(valid + "\ntype Secret { value: String }\n"), "\"Secret\" does not exist");
    }

    private static String replaceOnce(String text, String from, String to) {
        assertTrue(text.contains(from), "role schema no longer contains " + from);
        return text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    }

    private static void assertHasProblem(List<String> problems, String expected) {
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), "expected a problem with '" + expected + "' in " + problems);
    }
}
