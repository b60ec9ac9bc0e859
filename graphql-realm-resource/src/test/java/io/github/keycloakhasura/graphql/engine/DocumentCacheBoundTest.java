package io.github.keycloakhasura.graphql.engine;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.spi.Capabilities;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anonymous input cannot grow the document cache past its byte bound, with the real engine and parser. */
class DocumentCacheBoundTest {

    private static GraphqlEngine.Outcome run(GraphqlEngine engine, GraphqlConfig config, String query) {
        return engine.execute(new GraphqlRequest(query, null, null), new RequestContext((io.github.keycloakhasura.graphql.api.Backend) null, config, List.of()).asGraphqlContext(), true);
    }

    /** A valid query of about {@code chars} characters, most of them one long comment (one parser token). */
    private static String padded(int i, int chars) {
        String head = "query Q" + i + " { __typename }\n# ";
        return head + "x".repeat(Math.max(0, chars - head.length()));
    }

    @Test
    void fiveHundredDistinct90KbDocumentsLeaveTheCacheWithinItsBound() {
        GraphqlConfig config = GraphqlConfig.defaults();
        GraphqlEngine engine = new GraphqlEngine(config, Capabilities.schema());
        for (int i = 0; i < 500; i++) {
            GraphqlEngine.Outcome outcome = run(engine, config, padded(i, 90_000));
            assertNull(outcome.body().get("errors"), () -> outcome.body().toString());
            assertEquals(Map.of("__typename", "Query"), outcome.body().get("data"));
        }
        assertEquals(0, engine.cachedDocuments(), "documents over 4 KB are parsed each time, never kept");
        assertEquals(0, engine.cachedDocumentBytes());
        // Small documents are still kept.
        run(engine, config, "{ __typename }");
        assertEquals(1, engine.cachedDocuments());
    }

    @Test
    void manyDistinctSmallDocumentsStayWithinTheConfiguredBytes() {
        long bound = 1_000_000;
        GraphqlConfig config = GraphqlConfig.from(Map.of("document-cache-bytes", String.valueOf(bound))::get);
        GraphqlEngine engine = new GraphqlEngine(config, Capabilities.schema());
        long perDocument = Admission.weight(padded(0, 3_000));
        for (int i = 0; i < 500; i++) {
            String query = padded(i, 3_000);
            assertEquals(perDocument, Admission.weight(query));
            run(engine, config, query);
            assertTrue(engine.cachedDocumentBytes() <= bound, "bytes " + engine.cachedDocumentBytes() + " after " + i);
        }
        // No document was requested twice: the CLOCK eviction (approximate LRU, see AdmissionTest) then evicts the
        // oldest, as exact LRU would.
        assertEquals(bound / perDocument, engine.cachedDocuments(), "as many as fit, the oldest evicted");
    }
}
