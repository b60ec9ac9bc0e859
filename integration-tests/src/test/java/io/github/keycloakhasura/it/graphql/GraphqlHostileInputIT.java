package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.Hostile.clean;
import static io.github.keycloakhasura.it.graphql.Hostile.code;
import static io.github.keycloakhasura.it.graphql.Hostile.vars;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Query limits and malformed requests on the real server: each gets a clean 4xx or a GraphQL error with a code,
 * never a 5xx, a stack trace or an internal error. GraphqlHttpIT has the basic status-code rules; this is the
 * hostile end of them.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlHostileInputIT {

    static final int MAX_REQUEST_BYTES = 100_000;

    static KeycloakAdmin admin;
    static GraphqlClient graphql;
    static String url;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        admin = new KeycloakAdmin(keycloak);
        graphql = new GraphqlClient(keycloak);
        url = graphql.url();
    }

    static String body(String query, Object variables) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("query", query);
        if (variables != null) {
            body.put("variables", variables);
        }
        try {
            return Http.JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Http.Response post(String json) {
        return Hostile.postJson(url, json);
    }

    /** A request error: BAD_USER_INPUT, no data; 200 with application/json, 400 with graphql-response+json. */
    static void requestError(String json, String what, String messagePart) {
        Http.Response legacy = post(json);
        assertEquals(200, legacy.status(), what + " -> " + legacy);
        assertEquals("BAD_USER_INPUT", code(legacy, what));
        assertTrue(legacy.json().path("data").isMissingNode() || legacy.json().get("data").isNull(), what + " -> " + legacy);
        if (messagePart != null) {
            assertTrue(legacy.json().get("errors").get(0).get("message").asText().contains(messagePart), what + " -> " + legacy);
        }
        Http.Response strict = Hostile.postJson(url, json, "Accept", "application/graphql-response+json");
        assertEquals(400, strict.status(), what + " -> " + strict);
        clean(strict, what);
    }

    @Test
    void depthComplexityTokenAndCharacterLimits() {
        // depth: only introspection nests deeply in this schema
        StringBuilder deep = new StringBuilder("{ __schema { types { ");
        for (int i = 0; i < 12; i++) {
            deep.append("fields { type { ");
        }
        deep.append("name ").append("} } ".repeat(12)).append("} } }");
        requestError(body(deep.toString(), null), "depth", "depth");

        // complexity: 80 aliases of 14 fields each are 1,120 fields from about 1,600 tokens
        StringBuilder wide = new StringBuilder("query {");
        for (int i = 0; i < 80; i++) {
            wide.append(" a").append(i).append(": whoami { id username email firstName lastName emailVerified isActive dateJoined ")
                    .append("roles hasura profile { role } }");
        }
        wide.append(" }");
        requestError(body(wide.toString(), null), "complexity", "complexity");

        // tokens: 2,500 grammar tokens, refused while parsing
        requestError(body("{ " + "__typename ".repeat(2500) + "}", null), "tokens", "tokens");
        // whitespace tokens
        requestError(body("{" + " ,".repeat(25_000) + " __typename }", null), "whitespace tokens", null);
        // grammar nesting in a value
        requestError(body("{ users(search: " + "[".repeat(3000) + "]".repeat(3000) + ") { id } }", null), "nested value", null);
        // many directives / aliases of introspection stay within limits or are refused cleanly
        requestError(body("{ __typename" + " @skip(if: false)".repeat(600) + " }", null), "repeated directives", null);
    }

    @Test
    void mutationsHaveAtMostTenRootFields() {
        StringBuilder mutation = new StringBuilder("mutation {");
        for (int i = 0; i < 11; i++) {
            mutation.append(" v").append(i).append(": verifyToken(token: \"x\") { payload }");
        }
        requestError(body(mutation + " }", null), "eleven verifyTokens", "at most 10 root fields");
        String ten = mutation.substring(0, mutation.indexOf(" v10:")) + " }";
        Http.Response r = post(body(ten, null));
        assertEquals(10, r.json().get("errors").size(), "ten ran, each refusing its token: " + r);
    }

    @Test
    void bodySizeLimitIsExactAndVariablesAreBounded() {
        String prefix = "{\"query\":\"{ __typename }\",\"variables\":{\"pad\":\"";
        String suffix = "\"}}";
        String atLimit = prefix + "x".repeat(MAX_REQUEST_BYTES - prefix.length() - suffix.length()) + suffix;
        assertEquals(MAX_REQUEST_BYTES, atLimit.length());
        assertEquals("Query", GraphqlClient.data(post(atLimit)).get("__typename").asText(), "exactly the limit is accepted");
        Http.Response over = post(prefix + "x".repeat(MAX_REQUEST_BYTES - prefix.length() - suffix.length() + 1) + suffix);
        assertEquals(413, over.status(), over.toString());
        assertEquals("BAD_USER_INPUT", code(over, "one byte over"));
        // a query of comments right under the limit parses (a comment is one token)
        String comment = "{\"query\":\"{ __typename } #";
        String end = "\"}";
        assertEquals("Query", GraphqlClient.data(post(comment + "c".repeat(MAX_REQUEST_BYTES - comment.length() - end.length()) + end))
                .get("__typename").asText());
        // Far over: 413 without reading the rest. The server may close the connection before this client has
        // sent everything, so a dedicated client (not the shared pool) and a closed connection are acceptable.
        try {
            Http.Response huge = Hostile.sendAlone("POST", url, new byte[5_000_000],
                    List.<String[]>of(new String[]{"Content-Type", "application/json"}));
            assertEquals(413, huge.status(), huge.toString());
            clean(huge, "5 MB body");
        } catch (java.io.UncheckedIOException closed) {
            // the connection was closed while the body was still being sent: refused all the same
        }

        // variables nested too deeply, or with absurd numbers
        Http.Response nested = post("{\"query\":\"{ __typename }\",\"variables\":{\"v\":" + "[".repeat(200) + "]".repeat(200) + "}}");
        assertEquals(400, nested.status(), nested.toString());
        assertEquals("BAD_USER_INPUT", code(nested, "nested variables"));
        Http.Response number = post("{\"query\":\"query($n: Int) { users(first: $n) { id } }\",\"variables\":{\"n\":" + "9".repeat(5000) + "}}");
        assertEquals(400, number.status(), number.toString());
        // many unused variables are just ignored
        Map<String, Object> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 5000; i++) {
            many.put("v" + i, i);
        }
        assertEquals("Query", GraphqlClient.data(post(body("{ __typename }", many))).get("__typename").asText());
    }

    @Test
    void fragmentCyclesAndHasurasIntrospectionUnderTheLimits() {
        requestError(body("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }", null), "fragment cycle", null);
        requestError(body("query { ...A } fragment A on Query { whoami { id } ...A }", null), "self-spreading fragment", null);
        requestError(body("query { ...Missing }", null), "unknown fragment", null);
        // Hasura's remote-schema introspection works with every limit in place.
        JsonNode schema = GraphqlClient.data(post(GraphqlHttpIT.HASURA_INTROSPECTION)).get("__schema");
        assertTrue(schema.get("types").size() > 10, schema.toString());
    }

    @Test
    void malformedJsonAndBodies() {
        List<byte[]> bodies = new ArrayList<>();
        for (String text : List.of("{", "}", "nul", "{\"query\":", "{'query':'{ __typename }'}", "{\"query\":\"{ __typename }\",}",
                "{\"query\":\"{ __typename }\"}{\"query\":\"{ __typename }\"}", "{\"query\":[\"{ __typename }\"]}",
                "{\"query\":{\"q\":1}}", "{\"query\":\"{ __typename }\",\"query\":\"{ whoami { id } }\"}",
                "{\"query\":\"{ __typename }\",\"variables\":\"{}\"}", "{\"query\":\"{ __typename }\",\"operationName\":[]}",
                "[]", "[{\"query\":\"{ __typename }\"}]", "null", "true", "12345678901234567890",
                "\"\\u0000\"", "{\"query\":\"{ __typename }\u0000\"}", "\u0000")) {
            bodies.add(text.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'});               // BOM + {}
        bodies.add(new byte[]{'{', '"', 'q', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});    // invalid UTF-8
        bodies.add(new byte[]{(byte) 0xFF, (byte) 0xFE, '{', 0, '}', 0});                      // UTF-16 LE
        bodies.add(new byte[0]);
        for (byte[] bytes : bodies) {
            Http.Response r = Hostile.send("POST", url, bytes, List.<String[]>of(new String[]{"Content-Type", "application/json"}));
            String what = new String(bytes, StandardCharsets.UTF_8);
            assertEquals(400, r.status(), what + " -> " + r);
            assertEquals("BAD_USER_INPUT", code(r, what));
        }
    }

    @Test
    void wrongVariableTypesUnknownOperationsAndBadDocuments() {
        String login = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }";
        for (Map<String, Object> variables : List.<Map<String, Object>>of(
                vars("u", 1, "p", "x"), vars("u", List.of("a"), "p", "x"), vars("u", Map.of("a", 1), "p", "x"),
                vars("u", null, "p", "x"), vars("p", "x"), vars("u", true, "p", false))) {
            requestError(body(login, variables), "variables " + variables, null);
        }
        requestError(body("query($n: Int) { users(first: $n) { id } }", vars("n", "ten")), "Int given a string", null);
        requestError(body("query($n: Int) { users(first: $n) { id } }", vars("n", 1.5)), "Int given a float", null);
        requestError(body("query($n: Int) { users(first: $n) { id } }", vars("n", 4_000_000_000L)), "Int overflow", null);
        requestError(body("query { users(first: $undeclared) { id } }", null), "undeclared variable", null);
        requestError(body("query($x: NoSuchType) { __typename }", null), "unknown variable type", null);
        requestError(body("{ noSuchField }", null), "unknown field", null);
        requestError(body("{ whoami { password } }", null), "no such field on User", null);
        requestError(body("mutation { noSuchMutation }", null), "unknown mutation", null);
        requestError(body("subscription { whoami { id } }", null), "no subscriptions", null);
        requestError(body("query A { __typename } query B { __typename }", null), "two operations, no operationName", null);
        requestError("{\"query\":\"query A { __typename }\",\"operationName\":\"B\"}", "unknown operationName", null);
        requestError(body("query A { __typename } query A { __typename }", null), "duplicate operation names", null);
        requestError(body("fragment F on Query { __typename }", null), "no operation at all", null);
        requestError(body("{ __typename", null), "unterminated", null);
        requestError(body("{ __typename(x: 1) }", null), "unknown argument", null);
        requestError(body("{ users(first: 1, first: 2) { id } }", null), "repeated argument", null);
        requestError(body("{ __typename @nope }", null), "unknown directive", null);
        requestError(body("{ a: __typename a: whoami { id } }", null), "conflicting aliases", null);
        requestError(body("{ __typename }\u0000", null), "NUL byte in the document", null);
        requestError("{\"query\":\"{ __typename \\ud800 }\"}", "lone surrogate", null);
        // An escaped NUL inside a GraphQL string is a valid string: the field runs (and needs a token).
        assertEquals("UNAUTHENTICATED", code(post(body("{ users(search: \"a\\u0000b\") { id } }", null)), "escaped NUL"));
    }

    @Test
    void nulBytesAndVeryLongStringsReachKeycloakHarmlessly() {
        String login = "mutation($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }";
        String existing = unique("hostile");
        admin.createUser(existing, "Hostile-pass-1", null);
        String huge = "x".repeat(90_000);
        for (Map<String, Object> variables : List.<Map<String, Object>>of(
                vars("u", existing + "\u0000", "p", "wrong"), vars("u", "\u0000", "p", "\u0000"),
                vars("u", existing, "p", "Hostile-pass-1\u0000x"), vars("u", huge, "p", "x"), vars("u", existing, "p", huge),
                vars("u", "\u202e\ud83d\ude00" + "\t\r\n", "p", "x"), vars("u", "' OR '1'='1", "p", "' OR '1'='1"),
                vars("u", "*", "p", "x"), vars("u", "%", "p", "%"), vars("u", "${jndi:ldap://127.0.0.1/x}", "p", "x"))) {
            Http.Response r = post(body(login, variables));
            String code = code(r, "tokenAuth " + abbreviate(variables));
            assertTrue(code.equals("UNAUTHENTICATED") || code.equals("BAD_USER_INPUT"), code + " " + r);
        }
        String verify = "mutation($t: String!) { verifyToken(token: $t) { payload } }";
        String refresh = "mutation($t: String!) { refreshToken(refreshToken: $t) { token } }";
        String revoke = "mutation($t: String!) { revokeToken(refreshToken: $t) { revoked } }";
        String third = huge.substring(0, 30_000);
        for (String token : List.of(huge, "\u0000", "a.\u0000.c", "eyJ" + huge, third + "." + third + "." + third)) {
            for (String operation : List.of(verify, refresh, revoke)) {
                String code = code(post(body(operation, vars("t", token))), operation);
                assertTrue(code.equals("UNAUTHENTICATED") || code.equals("BAD_USER_INPUT"), code);
            }
            // As a header, a huge token may be refused by the HTTP layer (431, header size limit) before the endpoint
            // sees it; the server then closes the connection, so this goes on a connection of its own.
            Http.Response whoami = Hostile.sendAlone("POST", url, "{\"query\":\"{ whoami { id } }\"}".getBytes(StandardCharsets.UTF_8),
                    List.of(new String[]{"Content-Type", "application/json"},
                            new String[]{"Authorization", "Bearer " + token.replace("\u0000", "")}));
            clean(whoami, "whoami with a long token");
            if (whoami.status() == 200) {
                assertEquals("UNAUTHENTICATED", code(whoami, "whoami with a long token"));
            } else {
                assertTrue(whoami.status() == 400 || whoami.status() == 431, whoami.toString());
            }
        }
        String signUp = GraphqlSignUpIT.CREATE;
        for (Map<String, Object> variables : List.<Map<String, Object>>of(
                vars("u", "nul\u0000" + unique("u"), "p", "Sign-up-pass-1", "e", unique("nul") + "@example.test"),
                vars("u", unique("nul"), "p", "Sign-up-pass-1", "e", "a\u0000@example.test"),
                vars("u", unique("long"), "p", "Sign-up-pass-1", "e", huge + "@example.test"),
                vars("u", huge, "p", "Sign-up-pass-1", "e", unique("long") + "@example.test"),
                vars("u", unique("longpw"), "p", huge, "e", unique("longpw") + "@example.test"),
                vars("u", unique("ctl"), "p", "Sign-up-pass-1\u0000", "e", unique("ctl") + "@example.test"))) {
            Http.Response r = post(body(signUp, variables));
            clean(r, "createUser " + abbreviate(variables));
            if (r.json().has("errors")) {
                String code = r.json().get("errors").get(0).get("extensions").get("code").asText();
                assertTrue(code.equals("BAD_USER_INPUT") || code.equals("FORBIDDEN"), code + " " + r);
            }
        }
        // GET with a very long query string: refused by the HTTP layer or answered, never a 5xx
        String longQuery = "{ __typename " + "# comment ".repeat(2000) + "\n}";
        Http.Response longGet = Hostile.sendAlone("GET", url + "?query=" + URLEncoder.encode(longQuery, StandardCharsets.UTF_8), null, List.of());
        clean(longGet, "long GET");
        assertTrue(longGet.status() == 200 || longGet.status() == 414, longGet.toString());
    }

    static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }

    @Test
    void methodsMediaTypesAndAcceptHeaders() {
        String mutation = "mutation { verifyToken(token: \"x\") { payload } }";
        // GET mutations, including one picked by operationName from a mixed document
        for (String[] get : List.of(new String[]{mutation, null}, new String[]{"query A { __typename } " + mutation.replace("mutation", "mutation B"), "B"})) {
            String q = url + "?query=" + URLEncoder.encode(get[0], StandardCharsets.UTF_8)
                    + (get[1] == null ? "" : "&operationName=" + get[1]);
            Http.Response r = Hostile.send("GET", q, null, List.of());
            assertEquals(405, r.status(), r.toString());
            assertEquals("POST", r.header("Allow"));
            clean(r, "GET mutation");
        }
        Http.Response getGarbage = Hostile.send("GET", url + "?query=" + URLEncoder.encode("{{{", StandardCharsets.UTF_8), null, List.of());
        assertEquals("BAD_USER_INPUT", code(getGarbage, "GET garbage"));
        Http.Response getRepeated = Hostile.send("GET", url + "?query=%7B__typename%7D&query=%7B__typename%7D", null, List.of());
        assertEquals(400, getRepeated.status());
        Http.Response getBadVariables = Hostile.send("GET", url + "?query=%7B__typename%7D&variables=%5B1%5D", null, List.of());
        assertEquals(400, getBadVariables.status());

        byte[] json = "{\"query\":\"{ __typename }\"}".getBytes(StandardCharsets.UTF_8);
        for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "text/plain; charset=utf-8",
                "multipart/form-data; boundary=x", "application/graphql", "application/json; charset=iso-8859-1",
                "application/xml", "*/*", "application/json-patch+json", "application/jsonx", "text/html")) {
            Http.Response r = Hostile.send("POST", url, json, List.<String[]>of(new String[]{"Content-Type", type}));
            assertEquals(415, r.status(), type + " -> " + r);
            clean(r, type);
        }
        Http.Response formAsJson = Hostile.send("POST", url, "query=%7B__typename%7D".getBytes(StandardCharsets.UTF_8),
                List.<String[]>of(new String[]{"Content-Type", "application/json"}));
        assertEquals(400, formAsJson.status());
        clean(formAsJson, "form body labelled JSON");

        for (String accept : List.of("text/html", "application/xml", "image/*", "application/graphql-response+json;q=0", "%%%",
                "application/json;q=0")) {
            Http.Response r = Hostile.send("POST", url, json, List.of(new String[]{"Content-Type", "application/json"},
                    new String[]{"Accept", accept}));
            assertEquals(406, r.status(), accept + " -> " + r);
            clean(r, accept);
        }
        for (String accept : List.of("*/*", "application/*", "application/json", "application/json;q=0.1, text/html",
                "text/html, application/graphql-response+json;q=0.5", "APPLICATION/JSON")) {
            Http.Response r = Hostile.send("POST", url, json, List.of(new String[]{"Content-Type", "application/json"},
                    new String[]{"Accept", accept}));
            assertEquals(200, r.status(), accept + " -> " + r);
        }
        Http.Response noAccept = Hostile.send("POST", url, json, List.<String[]>of(new String[]{"Content-Type", "application/json"}));
        assertEquals(200, noAccept.status());
        assertTrue(noAccept.header("Content-Type").startsWith("application/json"), noAccept.header("Content-Type"));

        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            Http.Response r = Hostile.send(method, url, json, List.<String[]>of(new String[]{"Content-Type", "application/json"}));
            assertEquals(405, r.status(), method + " -> " + r);
        }
    }
}
