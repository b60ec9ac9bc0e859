package io.github.keycloakhasura.graphql.http;

import io.github.keycloakhasura.graphql.engine.fastlists.ResultObject;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.RawJson;
import io.github.keycloakhasura.graphql.engine.GraphqlRequest;
import io.github.keycloakhasura.json.Json;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GraphqlHttpTest {

    private static GraphqlRequest body(String json) {
        return GraphqlHttp.parseBody(json.getBytes(StandardCharsets.UTF_8));
    }

    private static int status(Runnable call) {
        return assertThrows(GraphqlHttp.Problem.class, call::run).status();
    }

    @Test
    void parsesQueryOperationNameAndVariables() {
        GraphqlRequest r = body("{\"query\":\"query Q($a: Int) { x }\",\"operationName\":\"Q\",\"variables\":{\"a\":1,\"b\":{\"c\":[true]}}}");
        assertEquals("query Q($a: Int) { x }", r.query());
        assertEquals("Q", r.operationName());
        assertEquals(1, r.variables().get("a"));
        assertEquals(Map.of("c", List.of(true)), r.variables().get("b"));
    }

    @Test
    void nullVariablesAndOperationNameAsHasuraSendsThem() {
        GraphqlRequest r = body("{\"query\":\"{ x }\",\"variables\":null,\"operationName\":null,\"extensions\":null}");
        assertEquals(Map.of(), r.variables());
        assertNull(r.operationName());
    }

    @Test
    void malformedBodiesAre400() {
        for (String bad : List.of("", "{", "[]", "1", "\"q\"", "{}", "{\"query\":null}", "{\"query\":\"\"}", "{\"query\":3}",
                "{\"query\":\"{x}\",\"variables\":[]}", "{\"query\":\"{x}\",\"variables\":\"{}\"}",
                "{\"query\":\"{x}\",\"operationName\":1}", "{\"query\":\"{x}\",\"extensions\":2}",
                "{\"query\":\"{x}\"} {}", "{\"query\":\"{x}\",\"query\":\"{y}\"}")) {
            assertEquals(400, status(() -> body(bad)), bad);
        }
        assertEquals(400, status(() -> GraphqlHttp.parseBody(null)));
    }

    @Test
    void onlyJsonBodiesAreAccepted() {
        GraphqlHttp.requireJsonBody("application/json");
        GraphqlHttp.requireJsonBody("Application/JSON; charset=UTF-8");
        GraphqlHttp.requireJsonBody("application/json;charset=\"utf-8\"");
        for (String refused : new String[]{null, "", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "text/plain", "text/plain; charset=utf-8", "application/graphql", "application/json; charset=latin1",
                "application/jsonp"}) {
            assertEquals(415, status(() -> GraphqlHttp.requireJsonBody(refused)), String.valueOf(refused));
        }
    }

    @Test
    void responseMediaTypeNegotiation() {
        assertEquals("application/json", GraphqlHttp.responseMediaType(null));
        assertEquals("application/json", GraphqlHttp.responseMediaType("*/*"));
        assertEquals("application/json", GraphqlHttp.responseMediaType("application/json"));
        assertEquals("application/json", GraphqlHttp.responseMediaType("text/html, application/*;q=0.5"));
        assertEquals("application/graphql-response+json",
                GraphqlHttp.responseMediaType("application/graphql-response+json, application/json;q=0.9"));
        assertEquals("application/graphql-response+json", GraphqlHttp.responseMediaType("application/graphql-response+json"));
        assertEquals("application/json",
                GraphqlHttp.responseMediaType("application/graphql-response+json;q=0, application/json"));
        assertEquals(406, status(() -> GraphqlHttp.responseMediaType("text/html")));
        assertEquals(406, status(() -> GraphqlHttp.responseMediaType("application/json;q=0")));
    }

    @Test
    void getParameters() {
        GraphqlRequest r = GraphqlHttp.parseQueryParameters(Map.of("query", List.of("{ x }"),
                "variables", List.of("{\"a\":\"b\"}"), "operationName", List.of("")));
        assertEquals("{ x }", r.query());
        assertEquals(Map.of("a", "b"), r.variables());
        assertNull(r.operationName());
        assertEquals(Map.of(), GraphqlHttp.parseQueryParameters(Map.of("query", List.of("{x}"), "variables", List.of("null"))).variables());
        assertEquals(400, status(() -> GraphqlHttp.parseQueryParameters(Map.of())));
        assertEquals(400, status(() -> GraphqlHttp.parseQueryParameters(Map.of("query", List.of("{x}", "{y}")))));
        assertEquals(400, status(() -> GraphqlHttp.parseQueryParameters(Map.of("query", List.of("{x}"), "variables", List.of("[1]")))));
        assertEquals(400, status(() -> GraphqlHttp.parseQueryParameters(Map.of("query", List.of("{x}"), "variables", List.of("{")))));
    }

    @Test
    void errorBodyHasMessageAndCode() {
        assertEquals("{\"errors\":[{\"message\":\"nope\",\"extensions\":{\"code\":\"FORBIDDEN\"}}]}",
                new String(ResponseWriter.errorBody("nope", ErrorCode.FORBIDDEN), StandardCharsets.UTF_8));
    }

    @Test
    void responsesAreWrittenExactlyAsJacksonWritesThem() throws Exception {
        Map<String, Object> user = new java.util.LinkedHashMap<>();
        user.put("id", "0b6f\u0000\"quoted\" \\ back</script>");
        user.put("name", "Zoë 名前 😀\n\t");
        user.put("active", true);
        user.put("none", null);
        user.put("count", 42);
        user.put("big", 9_007_199_254_740_993L);
        user.put("ratio", 0.25d);
        user.put("float", 1.5f);
        user.put("decimal", new java.math.BigDecimal("12.3400"));
        user.put("huge", new java.math.BigInteger("123456789012345678901234567890"));
        user.put("short", (short) 7);
        user.put("roles", List.of("a", "b"));
        user.put("set", new java.util.TreeSet<>(List.of("y", "x")));
        user.put("nested", Map.of("k", List.of(Map.of(), List.of())));
        user.put("nonStringKeys", new java.util.TreeMap<>(Map.of(2, "two", 1, "one")));
        user.put("enum", ErrorCode.FORBIDDEN);
        user.put("array", new int[] {1, 2});
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("data", Map.of("users", List.of(user, Map.of())));
        body.put("errors", List.of(Map.of("message", "m", "extensions", Map.of("code", "INTERNAL"))));
        assertEquals(new String(Json.mapper().writeValueAsBytes(body), StandardCharsets.UTF_8),
                new String(ResponseWriter.write(body), StandardCharsets.UTF_8));

        ResultObject row = new ResultObject(new String[] {"id", "n", "x"}, new Object[] {"a\"b", null, false});
        assertEquals("{\"id\":\"a\\\"b\",\"n\":null,\"x\":false}", new String(ResponseWriter.write(row), StandardCharsets.UTF_8));
        assertEquals(new String(Json.mapper().writeValueAsBytes(row), StandardCharsets.UTF_8), new String(ResponseWriter.write(row), StandardCharsets.UTF_8),
                "the compact row is an ordinary map to Jackson too");
        assertEquals("{\"p\":{\"sub\":\"x\"}}", new String(ResponseWriter.write(Map.of("p", new RawJson("{\"sub\":\"x\"}"))),
                StandardCharsets.UTF_8));
    }
}
