package io.github.keycloakhasura.graphql.engine.limits;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.engine.GraphqlRequest;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.spi.Capabilities;

import graphql.GraphQLError;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Depth and complexity limits, checked once per cached document and operation. */
class QueryLimitsTest {

    private static GraphQLError check(int depth, int complexity, String query, String operation) {
        return new QueryLimits(depth, complexity).check(Parser.parse(query), operation);
    }

    @Test
    void depthCountsNestedFieldsThroughFragments() {
        String query = "query Q { a { b { ...F } } } fragment F on T { c { d } }";
        assertNull(check(4, 100, query, null));
        assertEquals("maximum query depth exceeded 4 > 3", check(3, 100, query, null).getMessage());
        assertNull(check(4, 100, "{ a { ... on T { b { c { d } } } } }", null));
        assertTrue(check(3, 100, "{ a { ... on T { b { c { d } } } } }", null).getMessage().startsWith("maximum query depth"));
    }

    @Test
    void complexityCountsEveryFieldOnceEvenWhenSkipped() {
        String query = "query Q($s: Boolean!) { a { b c @skip(if: $s) } d { e } }";
        assertNull(check(10, 5, query, null));
        assertEquals("maximum query complexity exceeded 5 > 4", check(10, 4, query, null).getMessage());
    }

    @Test
    void theNamedOperationIsMeasuredAndAmbiguousDocumentsAreLeftToExecution() {
        String query = "query Small { a } query Big { a { b { c } } }";
        assertNull(check(2, 100, query, "Small"));
        assertTrue(check(2, 100, query, "Big").getMessage().startsWith("maximum query depth"));
        assertNull(check(2, 100, query, null), "no single operation: execution reports it");
        assertNull(check(2, 100, query, "Missing"));
    }

    @Test
    void fragmentFanOutStopsAtTheLimit() {
        // Each fragment spreads the next one twice: 2^20 fields once expanded; the walk gives up after the limit.
        StringBuilder query = new StringBuilder("{ ...F0 }");
        for (int i = 0; i < 20; i++) {
            query.append(" fragment F").append(i).append(" on Query { ...F").append(i + 1).append(" ...F").append(i + 1).append(" }");
        }
        query.append(" fragment F20 on Query { a }");
        long start = System.nanoTime();
        GraphQLError error = check(20, 1000, query.toString(), null);
        assertTrue(error.getMessage().startsWith("maximum query complexity exceeded 1001 > 1000"), error.getMessage());
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }

    @Test
    void theEngineReportsLimitsAsBadUserInputAndRemembersTheCheck() {
        GraphqlConfig config = GraphqlConfig.from(Map.of("max-query-depth", "3", "max-query-complexity", "5")::get);
        GraphqlEngine engine = new GraphqlEngine(config, Capabilities.schema());
        RequestContext context = new RequestContext((io.github.keycloakhasura.graphql.api.Backend) null, config, List.of());
        String deep = "{ __schema { types { fields { type { name } } } } }";
        for (int i = 0; i < 2; i++) {
            GraphqlEngine.Outcome outcome = engine.execute(new GraphqlRequest(deep, null, null), context.asGraphqlContext(), true);
            assertTrue(outcome.requestError());
            assertEquals("BAD_USER_INPUT", ((Map<?, ?>) ((Map<?, ?>) ((List<?>) outcome.body().get("errors")).get(0))
                    .get("extensions")).get("code"));
        }
        GraphqlEngine.Outcome ok = engine.execute(new GraphqlRequest("{ __schema { queryType { name } } }", null, null),
                context.asGraphqlContext(), true);
        assertFalse(ok.requestError(), ok.body().toString());
        assertEquals(OperationDefinition.Operation.QUERY, engine.operationOf("{ __schema { queryType { name } } }", null));
        assertEquals(OperationDefinition.Operation.MUTATION, engine.operationOf("mutation { x }", null));
    }
}
