package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.ParseAndValidate;
import graphql.language.Document;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import graphql.validation.ValidationError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.keycloakhasura.it.stack.StackFiles.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README sends its walkthrough and account-email requests through Hasura as written ({@code GQL} pointing at
 * Hasura): a request without {@code Authorization} runs as Hasura's unauthorized role {@code anonymous}, one with a
 * token as the user's role. Each such GraphQL document must validate against that role's remote schema in
 * hasura/metadata/remote_schemas.yaml, or Hasura refuses it before Keycloak sees it.
 */
class ReadmeOperationsThroughHasuraTest {

    private static final List<String> SECTIONS = List.of("## The seed article's flow, step by step",
            "## Password reset and email verification");
    private static final Pattern JSON_QUERY = Pattern.compile("\"query\":\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern JQ_QUERY = Pattern.compile("\\bquery: \"((?:[^\"\\\\]|\\\\.)*)\"");

    record Call(String command, String document, boolean authorized) {
    }

    /** Every {@code gql} call of the sections' bash blocks, continuation lines joined. */
    static List<Call> calls(String readme) {
        List<Call> calls = new ArrayList<>();
        for (String heading : SECTIONS) {
            int start = readme.indexOf(heading);
            assertTrue(start >= 0, "README lost " + heading);
            int end = readme.indexOf("\n## ", start + heading.length());
            String section = readme.substring(start, end < 0 ? readme.length() : end);
            boolean inBlock = false;
            StringBuilder command = new StringBuilder();
            for (String line : section.split("\n")) {
                String trimmed = line.strip();
                if (trimmed.equals("```bash")) {
                    inBlock = true;
                } else if (trimmed.equals("```")) {
                    inBlock = false;
                } else if (inBlock) {
                    command.append(trimmed.endsWith("\\") ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
                    if (!trimmed.endsWith("\\")) {
                        add(command.toString(), calls);
                        command.setLength(0);
                    }
                }
            }
        }
        return calls;
    }

    private static void add(String command, List<Call> calls) {
        if (!Pattern.compile("(^|[|(;]\\s*)gql\\s").matcher(command).find()) {
            return; // not sent to $GQL (e.g. the admin REST calls, or the notes insert sent to Hasura's own tables)
        }
        for (Pattern p : List.of(JSON_QUERY, JQ_QUERY)) {
            Matcher m = p.matcher(command);
            while (m.find()) {
                String document = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
                calls.add(new Call(command.strip(), document, command.contains("Authorization")));
            }
        }
    }

    private static Map<String, GraphQLSchema> roleSchemas() {
        Map<String, GraphQLSchema> schemas = new LinkedHashMap<>();
        for (JsonNode permission : yaml("hasura/metadata/remote_schemas.yaml").get(0).get("permissions")) {
            schemas.put(permission.get("role").asText(), UnExecutableSchemaGenerator.makeUnExecutableSchema(
                    new SchemaParser().parse(permission.at("/definition/schema").asText())));
        }
        return schemas;
    }

    private static List<ValidationError> problems(GraphQLSchema schema, String document) {
        Document parsed = Parser.parse(document);
        return ParseAndValidate.validate(schema, parsed);
    }

    @Test
    void everyDocumentedRequestIsAllowedForTheRoleHasuraGivesIt() {
        String unauthorized = StackFiles.composeJwtMode().at("/services/graphql-engine/environment/HASURA_GRAPHQL_UNAUTHORIZED_ROLE").asText();
        Map<String, GraphQLSchema> roles = roleSchemas();
        List<Call> calls = calls(StackFiles.text("README.md"));
        assertTrue(calls.size() >= 10, "README gql calls found: " + calls.size());
        assertTrue(calls.stream().anyMatch(c -> c.document().contains("revokeToken")), "the walkthrough logs out");
        for (Call call : calls) {
            if (call.authorized()) {
                // a signed-in user: alice is a user, later a manager
                boolean allowed = roles.entrySet().stream().filter(e -> !e.getKey().equals(unauthorized))
                        .anyMatch(e -> problems(e.getValue(), call.document()).isEmpty());
                assertTrue(allowed, "no signed-in role may send " + call.document() + "\n  (" + call.command() + ")");
            } else {
                assertEquals(List.of(), problems(roles.get(unauthorized), call.document()),
                        "Hasura's " + unauthorized + " role refuses " + call.document() + "\n  (" + call.command() + ")");
            }
        }
    }

    @Test
    void theExtractionSeesAuthorizationAndRefusesWhatARoleLacks() {
        String readme = """
                ## The seed article's flow, step by step
                ```bash
                gql -H "Authorization: Bearer $TOKEN" -d '{"query":"query { users { id } }"}' | jq .
                jq -n '{query: "mutation { revokeToken(refreshToken: \\"x\\") { revoked } }"}' \\
                  | gql -d @- | jq .
                curl -s http://localhost:8081/v1/graphql -d '{"query":"mutation { insert_notes_one(object: {}) { id } }"}'
                ```
                ## Password reset and email verification
                ```bash
                gql -d '{"query":"mutation { sendPasswordResetEmail(email: \\"a@b.c\\") { success } }"}' | jq .
                ```
                """;
        List<Call> calls = calls(readme);
        assertEquals(3, calls.size(), calls.toString());
        assertTrue(calls.get(0).authorized());
        assertEquals("mutation { revokeToken(refreshToken: \"x\") { revoked } }", calls.get(1).document());
        assertTrue(!calls.get(1).authorized());
        GraphQLSchema anonymous = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(
                "type Query { whoami: String } type Mutation { tokenAuth(username: String!): String }"));
        assertTrue(!problems(anonymous, calls.get(1).document()).isEmpty(), "a field the role lacks must be refused");
        assertTrue(!problems(anonymous, calls.get(0).document()).isEmpty());
    }
}
