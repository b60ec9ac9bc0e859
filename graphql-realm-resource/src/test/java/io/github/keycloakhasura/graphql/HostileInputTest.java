package io.github.keycloakhasura.graphql;

import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.engine.GraphqlRequest;
import io.github.keycloakhasura.graphql.engine.limits.MutationLimits;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.spi.Capabilities;
import io.github.keycloakhasura.graphql.http.GraphqlHttp;

import graphql.introspection.IntrospectionQueryBuilder;
import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's defences that need no Keycloak: one credential-checking field and at most ten root fields per
 * mutation, parser limits, JSON limits, batching. Fetchers never run here (no Keycloak): a refused document must fail before them, which is
 * visible as the absence of the INTERNAL error a fetcher would produce.
 */
class HostileInputTest {

    private final GraphqlConfig config = GraphqlConfig.defaults();
    private final GraphqlEngine engine = new GraphqlEngine(config, Capabilities.schema());

    private GraphqlEngine.Outcome run(String query) {
        return engine.execute(new GraphqlRequest(query, null, null), new RequestContext((io.github.keycloakhasura.graphql.api.Backend) null, config, List.of()).asGraphqlContext(), true);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(GraphqlEngine.Outcome outcome) {
        return (List<Map<String, Object>>) outcome.body().get("errors");
    }

    @SuppressWarnings("unchecked")
    private static String code(Map<String, Object> error) {
        return (String) ((Map<String, Object>) error.get("extensions")).get("code");
    }

    private static int count(String document) {
        Document parsed = Parser.parse(document);
        OperationDefinition operation = parsed.getDefinitionsOfType(OperationDefinition.class).get(0);
        Map<String, FragmentDefinition> fragments = parsed.getDefinitionsOfType(FragmentDefinition.class).stream()
                .collect(Collectors.toMap(FragmentDefinition::getName, Function.identity()));
        return new MutationLimits(Capabilities.schema().credentialFields()).count(operation, fragments).credentials();
    }

    private static final String LOGIN = "tokenAuth(username: \"u\", password: \"p\") { token }";
    private static final String SIGN_UP = "createUser(username: \"u\", password: \"p\", email: \"e\") { token }";

    @Test
    void credentialFieldsAreCountedThroughAliasesAndFragments() {
        assertEquals(1, count("mutation { " + LOGIN + " }"));
        assertEquals(0, count("mutation { verifyToken(token: \"t\") { payload } refreshToken(refreshToken: \"r\") { token } }"));
        assertEquals(2, count("mutation { a: " + LOGIN + " b: " + LOGIN + " }"));
        assertEquals(2, count("mutation { " + LOGIN + " " + SIGN_UP + " }"));
        assertEquals(3, count("mutation { a: " + LOGIN + " ... on Mutation { b: " + LOGIN + " ... on Mutation { c: " + LOGIN + " } } }"));
        assertEquals(2, count("mutation { a: " + LOGIN + " ...F } fragment F on Mutation { b: " + LOGIN + " }"));
        assertEquals(2, count("mutation { ...F } fragment F on Mutation { a: " + LOGIN + " ...G } fragment G on Mutation { b: " + SIGN_UP + " }"));
        // The same fragment twice merges into the same fields: one execution.
        assertEquals(1, count("mutation { ...F ...F } fragment F on Mutation { " + LOGIN + " }"));
        // @skip does not help: whatever could run counts.
        assertEquals(2, count("mutation($s: Boolean!) { a: " + LOGIN + " b: tokenAuth(username: \"u\", password: \"q\") @skip(if: $s) { token } }"));
        // Cycles (refused by validation anyway) terminate.
        assertEquals(1, count("mutation { ...F } fragment F on Mutation { " + LOGIN + " ...G } fragment G on Mutation { ...F }"));
    }

    @Test
    void documentsWithSeveralCredentialFieldsAreRefusedBeforeAnyFieldRuns() {
        for (String document : List.of(
                "mutation { a: " + LOGIN + " b: " + LOGIN + " }",
                "mutation { " + LOGIN + " " + SIGN_UP + " }",
                "mutation { a: " + SIGN_UP + " b: " + SIGN_UP + " }",
                "mutation { a: passwordReset(token: \"t\", newPassword: \"p\") { success } "
                        + "b: passwordReset(token: \"u\", newPassword: \"q\") { success } }",
                "mutation { a: " + LOGIN + " ... on Mutation { b: " + LOGIN + " } }",
                // Each may check the caller's password: two would be two guesses in one request.
                "mutation { a: updateAccount(email: \"a@x.test\", password: \"p\") { emailPending } "
                        + "b: updateAccount(email: \"a@x.test\", password: \"q\") { emailPending } }",
                "mutation { a: totpConfirm(code: \"1\", password: \"p\") { success } b: totpRemove(code: \"1\", password: \"q\") { success } }",
                "mutation { ...F ...G } fragment F on Mutation { a: " + LOGIN + " } fragment G on Mutation { b: " + LOGIN + " }")) {
            GraphqlEngine.Outcome outcome = run(document);
            assertTrue(outcome.requestError(), document + " -> " + outcome.body());
            assertNull(outcome.body().get("data"), "nothing ran: " + outcome.body());
            assertEquals(1, errors(outcome).size(), outcome.body().toString());
            assertEquals("BAD_USER_INPUT", code(errors(outcome).get(0)));
            assertEquals(new MutationLimits(Capabilities.schema().credentialFields()).tooManyCredentialFields(), errors(outcome).get(0).get("message"));
        }
        // One login (here failing on the missing Keycloak, i.e. it did run) is fine, and so are many verifies.
        GraphqlEngine.Outcome single = run("mutation { " + LOGIN + " }");
        assertEquals("INTERNAL", code(errors(single).get(0)), "the fetcher ran: " + single.body());
        GraphqlEngine.Outcome verifies = run("mutation { a: verifyToken(token: \"t\") { payload } b: verifyToken(token: \"u\") { payload } }");
        assertFalse(verifies.requestError(), verifies.body().toString());
    }

    @Test
    void parserLimitsStopHugeDocumentsWhileParsing() {
        String manyTokens = "{ " + "__typename ".repeat(config.maxQueryTokens()) + "}";
        GraphqlEngine.Outcome tokens = run(manyTokens);
        assertTrue(tokens.requestError());
        assertEquals("BAD_USER_INPUT", code(errors(tokens).get(0)));
        assertTrue(errors(tokens).get(0).get("message").toString().contains("tokens"), tokens.body().toString());

        GraphqlEngine.Outcome whitespace = run("{" + " ,".repeat(GraphqlEngine.MAX_WHITESPACE_TOKENS) + " __typename }");
        assertTrue(whitespace.requestError());
        assertEquals("BAD_USER_INPUT", code(errors(whitespace).get(0)));

        GraphqlEngine.Outcome nested = run("{ users(search: " + "[".repeat(5000) + "\"x\"" + "]".repeat(5000) + ") { id } }");
        assertTrue(nested.requestError());
        assertEquals("BAD_USER_INPUT", code(errors(nested).get(0)));

        GraphqlEngine.Outcome characters = run("{ __typename } #" + "x".repeat(config.maxRequestBytes()));
        assertTrue(characters.requestError());
        assertEquals("BAD_USER_INPUT", code(errors(characters).get(0)));

        assertNull(engine.operation("{ " + "__typename ".repeat(config.maxQueryTokens()) + "}", null),
                "the GET rule parses with the same limits");
    }

    @Test
    void hasurasIntrospectionQueryIsWithinEveryLimit() {
        String query = IntrospectionQueryBuilder.build(IntrospectionQueryBuilder.Options.defaultOptions()
                .descriptions(true).specifiedByUrl(false).directiveIsRepeatable(false).schemaDescription(false)
                .inputValueDeprecation(false).isOneOf(false).typeRefFragmentDepth(7));
        GraphqlEngine.Outcome outcome = run(query);
        assertNull(outcome.body().get("errors"), outcome.body().toString());
        // and graphql-java's full introspection query, with deeper type references, too
        String full = IntrospectionQueryBuilder.build(IntrospectionQueryBuilder.Options.defaultOptions().typeRefFragmentDepth(10));
        assertNull(run(full).body().get("errors"));
    }

    @Test
    void fragmentCyclesAreValidationErrors() {
        GraphqlEngine.Outcome outcome = run("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }");
        assertTrue(outcome.requestError());
        assertEquals("BAD_USER_INPUT", code(errors(outcome).get(0)));
    }

    @Test
    void jsonArraysBatchingAndDeepOrHugeJsonAre400() {
        GraphqlHttp.Problem batch = assertThrows(GraphqlHttp.Problem.class, () -> GraphqlHttp.parseBody(
                "[{\"query\":\"{ __typename }\"},{\"query\":\"{ __typename }\"}]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, batch.status());
        assertTrue(batch.getMessage().contains("Batched"), batch.getMessage());

        String deep = "{\"query\":\"{ __typename }\",\"variables\":{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}}";
        GraphqlHttp.Problem depth = assertThrows(GraphqlHttp.Problem.class, () -> GraphqlHttp.parseBody(deep.getBytes(StandardCharsets.UTF_8)));
        assertEquals(400, depth.status());
        assertTrue(depth.getMessage().contains("nesting"), depth.getMessage());
        String number = "{\"query\":\"{ __typename }\",\"variables\":{\"x\":" + "9".repeat(1000) + "}}";
        assertEquals(400, assertThrows(GraphqlHttp.Problem.class, () -> GraphqlHttp.parseBody(number.getBytes(StandardCharsets.UTF_8))).status());
        GraphqlHttp.Problem getDepth = assertThrows(GraphqlHttp.Problem.class, () -> GraphqlHttp.parseQueryParameters(Map.of(
                "query", List.of("{ __typename }"), "variables", List.of("{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}"))));
        assertEquals(400, getDepth.status());

        // Ordinary nesting is fine.
        String ok = "{\"query\":\"{ __typename }\",\"variables\":{\"x\":" + "[".repeat(20) + "]".repeat(20) + "},\"extensions\":{\"a\":{\"b\":{}}}}";
        assertEquals("{ __typename }", GraphqlHttp.parseBody(ok.getBytes(StandardCharsets.UTF_8)).query());
    }

    @Test
    void maxQueryTokensIsAServerOption() {
        assertEquals(2000, GraphqlConfig.defaults().maxQueryTokens());
        GraphqlConfig small = GraphqlConfig.from(Map.of("max-query-tokens", "20")::get);
        assertEquals(20, small.maxQueryTokens());
        GraphqlEngine.Outcome outcome = new GraphqlEngine(small, Capabilities.schema()).execute(new GraphqlRequest(
                "{ a: __typename b: __typename c: __typename d: __typename e: __typename f: __typename g: __typename }", null, null),
                new RequestContext((io.github.keycloakhasura.graphql.api.Backend) null, small, List.of()).asGraphqlContext(), true);
        assertTrue(outcome.requestError(), outcome.body().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GraphqlConfig.from(Map.of("max-query-tokens", "0")::get));
        assertTrue(e.getMessage().contains("max-query-tokens"), e.getMessage());
    }

    @Test
    void headerValuesThatSplitIntoNothingAreRefusedNotCrashedOn() {
        for (String accept : List.of(";", ";;", ",", " ; , ;", "*/*;q=", ";q=1")) {
            try {
                GraphqlHttp.responseMediaType(accept);
            } catch (GraphqlHttp.Problem problem) {
                assertEquals(406, problem.status(), accept);
            }
        }
        for (String contentType : List.of(";", ";;", " ;", ";charset=utf-8")) {
            assertEquals(415, assertThrows(GraphqlHttp.Problem.class, () -> GraphqlHttp.requireJsonBody(contentType)).status());
        }
    }

    @Test
    void subscriptionsWithConditionalDirectivesAreValidationErrorsNotCrashes() {
        // graphql-java's SubscriptionUniqueRootField rule threw a NullPointerException on these (found by GraphqlFuzzIT).
        for (String query : List.of("subscription { whoami @skip(if: \"no\") { id } }",
                "subscription A($v: String!) { user(id: \"y\") @include(if: $v) { id } }",
                "subscription($v: Boolean) { whoami @include(if: $v) { id } }",
                "subscription { whoami { id } }")) {
            GraphqlEngine.Outcome outcome = run(query);
            assertTrue(outcome.requestError(), query);
            assertEquals("BAD_USER_INPUT", code(errors(outcome).get(0)), outcome.body().toString());
        }
    }

    @Test
    void mutationsHaveAtMostTenRootFields() {
        StringBuilder eleven = new StringBuilder("mutation {");
        for (int i = 0; i < 11; i++) {
            eleven.append(" v").append(i).append(": verifyToken(token: \"t\") { payload }");
        }
        GraphqlEngine.Outcome outcome = run(eleven + " }");
        assertTrue(outcome.requestError(), outcome.body().toString());
        assertEquals(MutationLimits.TOO_MANY_ROOT_FIELDS, errors(outcome).get(0).get("message"));
        String ten = eleven.substring(0, eleven.indexOf(" v10:")) + " }";
        assertFalse(run(ten).requestError());
    }

    @Test
    void documentsGraphqlJavaCannotExecuteAreRequestErrorsNotCrashes() {
        // GoodFaithIntrospection failed an internal assertion on this valid document (found by GraphqlFuzzIT).
        String query = "{ __type(name: \"z\") { name } __schema @include(if: true) { mutationType { ofType { "
                + "fields(includeDeprecated: false) { args { defaultValue } } ofType { fields(includeDeprecated: false) { name } "
                + "a: ofType { description kind @skip(if: true) } } } ofType { ofType { a: fields(includeDeprecated: true) "
                + "{ isDeprecated } } } } } }";
        GraphqlEngine.Outcome outcome = run(query);
        assertTrue(outcome.requestError(), outcome.body().toString());
        assertEquals("BAD_USER_INPUT", code(errors(outcome).get(0)));
        assertFalse(outcome.body().toString().contains("Exception"), outcome.body().toString());
    }
}
