package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.language.Document;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GraphQL over HTTP: media types, status codes, CORS, Hasura's remote-schema introspection. */
@ExtendWith(KeycloakExtension.class)
class GraphqlHttpIT {

    /**
     * The introspection request Hasura sends when a remote schema is added (anonymous, "variables": null, type
     * references nested 7 levels).
     */
    static final String HASURA_INTROSPECTION = "{\"query\":\"query IntrospectionQuery {\\n  __schema {\\n    queryType {\\n      name\\n    }\\n"
            + "    mutationType {\\n      name\\n    }\\n    subscriptionType {\\n      name\\n    }\\n    types {\\n      ...FullType\\n    }\\n"
            + "    directives {\\n      name\\n      description\\n      locations\\n      args {\\n        ...InputValue\\n      }\\n    }\\n  }\\n}\\n\\n"
            + "fragment FullType on __Type {\\n  kind\\n  name\\n  description\\n  fields(includeDeprecated: true) {\\n    name\\n    description\\n"
            + "    args {\\n      ...InputValue\\n    }\\n    type {\\n      ...TypeRef\\n    }\\n    isDeprecated\\n    deprecationReason\\n  }\\n"
            + "  inputFields {\\n    ...InputValue\\n  }\\n  interfaces {\\n    ...TypeRef\\n  }\\n  enumValues(includeDeprecated: true) {\\n    name\\n"
            + "    description\\n    isDeprecated\\n    deprecationReason\\n  }\\n  possibleTypes {\\n    ...TypeRef\\n  }\\n}\\n\\n"
            + "fragment InputValue on __InputValue {\\n  name\\n  description\\n  type {\\n    ...TypeRef\\n  }\\n  defaultValue\\n}\\n\\n"
            + "fragment TypeRef on __Type {\\n  kind\\n  name\\n  ofType {\\n    kind\\n    name\\n    ofType {\\n      kind\\n      name\\n"
            + "      ofType {\\n        kind\\n        name\\n        ofType {\\n          kind\\n          name\\n          ofType {\\n"
            + "            kind\\n            name\\n            ofType {\\n              kind\\n              name\\n              ofType {\\n"
            + "                kind\\n                name\\n              }\\n            }\\n          }\\n        }\\n      }\\n    }\\n  }\\n}\\n\","
            + "\"variables\":null,\"operationName\":\"IntrospectionQuery\"}";

    static KeycloakServer server;
    static GraphqlClient graphql;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        graphql = new GraphqlClient(keycloak);
    }

    @Test
    void hasurasIntrospectionQueryParsesBackIntoTheSchema() throws IOException {
        Http.Response r = graphql.raw("POST", "application/json", HASURA_INTROSPECTION, null);
        JsonNode data = data(r);
        assertTrue(data.get("__schema").get("subscriptionType").isNull(), "no subscription root");

        Map<String, Object> result = Http.JSON.convertValue(data, new TypeReference<Map<String, Object>>() {
        });
        Document document = new IntrospectionResultToSchema().createSchemaDefinition(result);
        GraphQLSchema schema = UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().buildRegistry(document));
        assertEquals(List.of("createUser", "refreshToken", "revokeToken", "tokenAuth", "verifyToken"),
                names(schema.getMutationType()));
        assertEquals(List.of("user", "users", "usersPage", "whoami"), names(schema.getQueryType()));
        assertNull(schema.getSubscriptionType());
        String printed = new SchemaPrinter().print(schema);
        assertTrue(printed.contains("scalar JSON"), printed);
        assertTrue(printed.contains("tokenAuth(clientId: String, password: String!, scope: String, username: String!): ObtainJSONWebToken")
                || printed.contains("tokenAuth(username: String!, password: String!, clientId: String, scope: String): ObtainJSONWebToken"), printed);
    }

    private static List<String> names(GraphQLObjectType type) {
        return type.getFieldDefinitions().stream().map(f -> f.getName()).sorted().collect(Collectors.toList());
    }

    @Test
    void graphqlResponseJsonIsNegotiatedAndRequestErrorsAre400WithIt() {
        Map<String, String> accept = Map.of("Accept", "application/graphql-response+json");
        Http.Response ok = graphql.raw("POST", "application/json", "{\"query\":\"{ __typename }\"}", accept);
        assertEquals(200, ok.status());
        assertTrue(ok.header("Content-Type").startsWith("application/graphql-response+json"), ok.header("Content-Type"));
        assertEquals("Query", ok.json().get("data").get("__typename").asText());

        Http.Response syntax = graphql.raw("POST", "application/json", "{\"query\":\"{ whoami { \"}", accept);
        assertEquals(400, syntax.status(), syntax.toString());
        error(syntax, "BAD_USER_INPUT");
        Http.Response invalid = graphql.raw("POST", "application/json", "{\"query\":\"{ nope }\"}", accept);
        assertEquals(400, invalid.status(), invalid.toString());
        error(invalid, "BAD_USER_INPUT");

        // Legacy application/json: the same errors with 200, as GraphQL over HTTP prescribes.
        Http.Response legacy = graphql.raw("POST", "application/json", "{\"query\":\"{ nope }\"}", Map.of("Accept", "application/json"));
        assertEquals(200, legacy.status());
        assertTrue(legacy.header("Content-Type").startsWith("application/json"));
        error(legacy, "BAD_USER_INPUT");

        assertEquals(406, graphql.raw("POST", "application/json", "{\"query\":\"{ __typename }\"}", Map.of("Accept", "text/html")).status());
    }

    @Test
    void malformedRequestsAre400() {
        for (String body : List.of("{", "[]", "\"query\"", "{}", "{\"query\": 5}", "{\"query\":\"{ __typename }\",\"variables\":[1]}",
                "{\"query\":\"{ __typename }\"} trailing", "")) {
            Http.Response r = graphql.raw("POST", "application/json", body, null);
            assertEquals(400, r.status(), body + " -> " + r);
            error(r, "BAD_USER_INPUT");
        }
    }

    @Test
    void getRunsQueriesOnlyAndOtherMethodsAreRefused() {
        Http.Response query = graphql.get("{ __typename }", null);
        assertEquals("Query", data(query).get("__typename").asText());
        Http.Response mutation = graphql.get("mutation { verifyToken(token: \"x\") { payload } }", null);
        assertEquals(405, mutation.status(), mutation.toString());
        assertEquals("POST", mutation.header("Allow"));
        error(mutation, "BAD_USER_INPUT");
        assertEquals(405, graphql.raw("PUT", "application/json", "{\"query\":\"{ __typename }\"}", null).status());
        assertEquals(405, graphql.raw("DELETE", null, null, null).status());
    }

    @Test
    void formAndTextBodiesAreRefusedSoBrowsersCannotForgeRequests() {
        String mutation = "mutation { tokenAuth(username: \"a\", password: \"b\") { token } }";
        assertEquals(415, graphql.raw("POST", "application/x-www-form-urlencoded", "query=" + mutation, null).status());
        assertEquals(415, graphql.raw("POST", "text/plain", "{\"query\":\"" + mutation.replace("\"", "\\\"") + "\"}", null).status());
        assertEquals(415, graphql.raw("POST", "multipart/form-data; boundary=x", "--x--", null).status());
        assertEquals(415, graphql.raw("POST", "application/graphql", mutation, null).status());
        assertEquals(415, graphql.raw("POST", null, "{\"query\":\"{ __typename }\"}", null).status());
        assertEquals(200, graphql.raw("POST", "application/json; charset=utf-8", "{\"query\":\"{ __typename }\"}", null).status());
    }

    @Test
    void corsIsOnlyForTheClientsWebOrigins() {
        String body = "{\"query\":\"{ __typename }\"}";
        Http.Response allowed = graphql.raw("POST", "application/json", body, Map.of("Origin", "http://localhost:3000"));
        assertEquals(200, allowed.status());
        assertEquals("http://localhost:3000", allowed.header("Access-Control-Allow-Origin"));

        Http.Response evil = graphql.raw("POST", "application/json", body, Map.of("Origin", "http://evil.example"));
        assertEquals(403, evil.status(), evil.toString());
        assertNull(evil.header("Access-Control-Allow-Origin"));
        error(evil, "FORBIDDEN");

        Http.Response preflight = graphql.raw("OPTIONS", null, null, Map.of("Origin", "http://localhost:3000",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, authorization"));
        assertEquals(200, preflight.status());
        assertEquals("http://localhost:3000", preflight.header("Access-Control-Allow-Origin"));
        assertTrue(preflight.header("Access-Control-Allow-Headers").toLowerCase().contains("authorization"));

        Http.Response evilPreflight = graphql.raw("OPTIONS", null, null, Map.of("Origin", "http://evil.example",
                "Access-Control-Request-Method", "POST"));
        assertNull(evilPreflight.header("Access-Control-Allow-Origin"));
    }

    @Test
    void errorsCarryCodesAndLimitsApply() {
        error(graphql.post("subscription { whoami { id } }"), "BAD_USER_INPUT");
        error(graphql.post("query($f: Int) { users(first: $f) { id } }", Map.of("f", "not a number"), null), "BAD_USER_INPUT");
        String deep = "{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type "
                + "{ fields { type { name } } } } } } } } } } } } } }";
        error(graphql.post(deep), "BAD_USER_INPUT");
        String huge = "{\"query\":\"{ __typename }\",\"variables\":{\"x\":\"" + "a".repeat(200_000) + "\"}}";
        assertEquals(413, graphql.raw("POST", "application/json", huge, null).status());
    }

    @Test
    void theProviderJarShadesGraphqlJavaUnderItsOwnPackage() throws IOException {
        Path providers = Path.of(System.getProperty("keycloak.providers.dir"));
        Path jar;
        try (var files = Files.list(providers)) {
            jar = files.filter(p -> p.getFileName().toString().startsWith("keycloak-hasura-graphql")).findFirst().orElseThrow();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            List<String> foreign = Collections.list(file.entries()).stream()
                    .map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.startsWith("io/github/keycloakhasura/")
                            && !n.startsWith("META-INF/versions/"))
                    .toList();
            assertEquals(List.of(), foreign, "classes outside the extension's packages");
            assertTrue(file.getEntry("io/github/keycloakhasura/shaded/graphql/GraphQL.class") != null);
        }
    }
}
