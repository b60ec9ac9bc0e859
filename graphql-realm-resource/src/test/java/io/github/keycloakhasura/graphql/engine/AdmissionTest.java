package io.github.keycloakhasura.graphql.engine;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.engine.limits.MutationLimits;
import io.github.keycloakhasura.graphql.engine.limits.QueryLimits;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.spi.Capabilities;

import graphql.ErrorType;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admission step: one verdict per kept document and operation, decided once (proved with counting rules and
 * graphql-java's own parse instrumentation, not with counters in {@link Admission}), the cache's bounds under
 * concurrent use, and the mutation limits on cached documents.
 */
class AdmissionTest {

    private static final GraphQLSchema SCHEMA = Capabilities.schema().graphql();
    private static final MutationLimits MUTATION_LIMITS = new MutationLimits(Capabilities.schema().credentialFields());
    private static final String LOGIN = "tokenAuth(username: \"u\", password: \"p\") { token }";
    private static final String TWO_LOGINS = "mutation Two { a: " + LOGIN + " b: " + LOGIN + " }";
    private static final String DEEP = "{ __schema { types { fields { type { name } } } } }";

    /** Decisions made: calls of the first rule (it sees every operation that gets a verdict). */
    private final AtomicInteger decisions = new AtomicInteger();
    /** Calls of the mutation rule (only operations the query limits admit reach it). */
    private final AtomicInteger mutationWalks = new AtomicInteger();
    /** Documents graphql-java parsed (its instrumentation, called by its parse-and-validate function). */
    private final AtomicInteger parses = new AtomicInteger();

    private Admission admission(int capacity, long maxBytes) {
        QueryLimits limits = new QueryLimits(3, 50);
        return new Admission(capacity, maxBytes, List.of(
                (document, operation) -> {
                    decisions.incrementAndGet();
                    return limits.check(document, operation);
                },
                (document, operation) -> {
                    mutationWalks.incrementAndGet();
                    return MUTATION_LIMITS.check(document, operation);
                }));
    }

    private GraphQL graphql(Admission admission) {
        return GraphQL.newGraphQL(SCHEMA).preparsedDocumentProvider(admission).instrumentation(new SimplePerformantInstrumentation() {
            @Override
            public InstrumentationContext<Document> beginParse(InstrumentationExecutionParameters parameters, InstrumentationState state) {
                parses.incrementAndGet();
                return super.beginParse(parameters, state);
            }
        }).build();
    }

    private static ExecutionResult run(GraphQL graphql, String query, String operationName) {
        return graphql.execute(ExecutionInput.newExecutionInput().query(query).operationName(operationName).build());
    }

    private static void assertRefused(ExecutionResult result, String message) {
        assertFalse(result.isDataPresent(), () -> "nothing ran: " + result.toSpecification());
        assertEquals(1, result.getErrors().size(), () -> result.toSpecification().toString());
        assertEquals(message, result.getErrors().get(0).getMessage());
        assertEquals(ErrorType.ExecutionAborted, result.getErrors().get(0).getErrorType(), "reported as BAD_USER_INPUT");
    }

    private static void assertAdmitted(ExecutionResult result, String alias) {
        assertTrue(result.getErrors().isEmpty(), () -> result.toSpecification().toString());
        assertEquals(Map.of(alias, "Query"), result.getData());
    }

    @Test
    void eachOperationOfAKeptDocumentIsParsedAndWalkedOnce() {
        Admission admission = admission(10, 1_000_000);
        GraphQL graphql = graphql(admission);
        String document = "query Hello { hi: __typename } " + TWO_LOGINS + " query Deep " + DEEP;
        for (int i = 0; i < 3; i++) {
            assertAdmitted(run(graphql, document, "Hello"), "hi");
            assertRefused(run(graphql, document, "Two"), MUTATION_LIMITS.tooManyCredentialFields());
            assertRefused(run(graphql, document, "Deep"), "maximum query depth exceeded 4 > 3");
        }
        assertEquals(1, parses.get(), "parsed and validated once");
        assertEquals(3, decisions.get(), "one verdict per operation");
        assertEquals(2, mutationWalks.get(), "Deep was refused by the query limits, the mutation rule never saw it");
        assertEquals(3, admission.verdictsKept(document));

        // The GET rule's answer comes from the same verdicts: no parse, no new walk.
        assertEquals(OperationDefinition.Operation.MUTATION, admission.cached(document, "Two").operation());
        assertEquals(OperationDefinition.Operation.QUERY, admission.cached(document, "Hello").operation());
        assertNull(admission.cached("{ other: __typename }", null), "not kept: the caller parses it");
        assertEquals(1, parses.get());
        assertEquals(3, decisions.get());
    }

    @Test
    void passwordlessLoginsAreCredentialFieldsLikeTokenAuth() {
        GraphQL graphql = graphql(admission(10, 1_000_000));
        String link = "loginWithLink(token: \"t\") { token }";
        String code = "loginWithCode(email: \"e\", code: \"123456\") { token }";
        for (String[] pair : new String[][] {{link, link}, {code, code}, {link, code}, {LOGIN, code}}) {
            assertRefused(run(graphql, "mutation { a: " + pair[0] + " b: " + pair[1] + " }", null),
                    MUTATION_LIMITS.tooManyCredentialFields());
        }
    }

    @Test
    void operationNamesTheDocumentDoesNotDefineAreNeitherWalkedNorKept() {
        Admission admission = admission(10, 1_000_000);
        GraphQL graphql = graphql(admission);
        String document = "query A { a: __typename } query B { b: __typename }";
        assertAdmitted(run(graphql, document, "A"), "a");
        for (int i = 0; i < 50; i++) {
            // a name as long as a request may send, each one new
            ExecutionResult result = run(graphql, document, "N" + i + "x".repeat(50_000));
            assertFalse(result.getErrors().isEmpty(), "graphql-java reports the unknown operation");
        }
        ExecutionResult noName = run(graphql, document, null);
        assertTrue(noName.getErrors().get(0).getMessage().contains("Must provide operation name"), noName.getErrors().toString());
        assertEquals(1, decisions.get(), "only A was measured");
        assertEquals(2, admission.verdictsKept(document), "A and the request without a name; no unknown name is kept");
    }

    @Test
    void aDocumentKeepsAtMostSixteenVerdictsAndAnswersTheRestEachTime() {
        Admission admission = admission(10, 1_000_000);
        GraphQL graphql = graphql(admission);
        StringBuilder document = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            document.append(" query Q").append(i).append(" { q").append(i).append(": __typename }");
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 20; i++) {
                assertAdmitted(run(graphql, document.toString(), "Q" + i), "q" + i);
            }
        }
        assertEquals(Admission.MAX_OPERATIONS_PER_DOCUMENT, admission.verdictsKept(document.toString()));
        assertEquals(20 + 4, decisions.get(), "16 kept verdicts decided once, the 4 others on each request");
        assertEquals(1, parses.get());
    }

    @Test
    void documentsThatAreNotKeptAreDecidedOnEveryRequest() {
        String big = "query Big { big: __typename }\n# " + "x".repeat(Admission.MAX_DOCUMENT_CHARS);
        Admission admission = admission(10, 1_000_000);
        GraphQL graphql = graphql(admission);
        for (int i = 0; i < 3; i++) {
            assertAdmitted(run(graphql, big, null), "big");
            assertFalse(run(graphql, "{ nope }", null).getErrors().isEmpty());
        }
        assertEquals(6, parses.get());
        assertEquals(3, decisions.get(), "the long document each time; the invalid one never reaches the rules");
        assertEquals(0, admission.size());

        Admission off = admission(0, 1_000_000);
        GraphQL uncached = graphql(off);
        for (int i = 0; i < 3; i++) {
            assertRefused(run(uncached, TWO_LOGINS, null), MUTATION_LIMITS.tooManyCredentialFields());
        }
        assertEquals(6, decisions.get(), "document-cache-size 0: decided on every request");
        assertEquals(0, off.size());
        assertNull(off.cached(TWO_LOGINS, null));
    }

    @Test
    void aDocumentHitSinceTheHandLastPassedOutlivesOneThatWasNot() {
        Admission admission = admission(2, 1_000_000);
        GraphQL graphql = graphql(admission);
        assertAdmitted(run(graphql, "{ a: __typename }", null), "a");
        assertAdmitted(run(graphql, "{ b: __typename }", null), "b");
        assertAdmitted(run(graphql, "{ a: __typename }", null), "a");
        assertAdmitted(run(graphql, "{ c: __typename }", null), "c");
        assertEquals(2, admission.size());
        assertEquals(3, parses.get());
        assertAdmitted(run(graphql, "{ a: __typename }", null), "a");
        assertAdmitted(run(graphql, "{ c: __typename }", null), "c");
        assertEquals(3, parses.get(), "a (hit) and c (newest) were kept");
        assertAdmitted(run(graphql, "{ b: __typename }", null), "b");
        assertEquals(4, parses.get(), "b (never hit) was evicted");
        // Approximate, unlike exact LRU: a and c were both hit, a last, yet a (stored first) went for b.
        assertNull(admission.cached("{ a: __typename }", null));
        assertTrue(admission.cached("{ c: __typename }", null) != null);
    }

    @Test
    void aLargeDocumentEvictsAsManyOldOnesAsItNeedsAndTheByteBoundHolds() {
        long small = Admission.weight("{ s0: __typename }");
        String large = "{ l: __typename } #" + "x".repeat(1_000);
        long bound = Admission.weight(large) + 2 * small;
        Admission admission = admission(100, bound);
        GraphQL graphql = graphql(admission);
        for (int i = 0; i < 5; i++) {
            assertAdmitted(run(graphql, "{ s" + i + ": __typename }", null), "s" + i);
        }
        assertEquals(5 * small, admission.bytes());
        assertAdmitted(run(graphql, large, null), "l");
        assertEquals(3, admission.size(), "s0, s1 and s2 made room");
        assertEquals(bound, admission.bytes());
        assertTrue(admission.cached(large, null) != null);
        assertTrue(admission.cached("{ s3: __typename }", null) != null);
        assertTrue(admission.cached("{ s4: __typename }", null) != null);
        assertNull(admission.cached("{ s2: __typename }", null));
    }

    /** {@code query} padded with a comment to {@code chars} characters, so that all weigh the same. */
    private static String padded(String query, int chars) {
        return query + " #" + "x".repeat(chars - query.length() - 2);
    }

    @Test
    void manyThreadsOnSharedAndDistinctDocumentsGetTheRightAnswersWithinTheBounds() throws Exception {
        int capacity = 8;
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            queries.add(padded(i % 3 == 0 ? "mutation { a: " + LOGIN + " b" + i + ": " + LOGIN + " }"
                    : "{ q" + i + ": __typename }", 200));
        }
        long weight = Admission.weight(queries.get(0));
        queries.forEach(q -> assertEquals(weight, Admission.weight(q), q));
        long maxBytes = 6 * weight; // the byte bound binds before the count
        Admission admission = admission(capacity, maxBytes);
        GraphQL graphql = graphql(admission);
        String shared = padded("{ shared: __typename }", 200);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < 400; n++) {
                        assertAdmitted(run(graphql, shared, null), "shared");
                        int i = (thread * 7 + n * 5) % queries.size();
                        ExecutionResult result = run(graphql, queries.get(i), null);
                        if (i % 3 == 0) {
                            assertRefused(result, MUTATION_LIMITS.tooManyCredentialFields());
                        } else {
                            assertAdmitted(result, "q" + i);
                        }
                        assertTrue(admission.bytes() <= maxBytes, "bytes " + admission.bytes());
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(6, admission.size(), "as many as the bytes allow (fewer than the count allows)");
        assertEquals(6 * weight, admission.bytes(), "bytes are the sum of the kept documents' weights");

        // Hits never decide again, however many threads: with everything kept, no parse and no walk after warm-up.
        Admission roomy = admission(100, 1_000_000);
        GraphQL warm = graphql(roomy);
        queries.forEach(q -> run(warm, q, null));
        int parsed = parses.get();
        int decided = decisions.get();
        ExecutorService hammer = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(hammer.submit(() -> {
                    for (int n = 0; n < 300; n++) {
                        int i = (thread + n) % queries.size();
                        assertEquals(i % 3 == 0, run(warm, queries.get(i), null).getErrors().size() == 1);
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            hammer.shutdown();
        }
        assertEquals(parsed, parses.get());
        assertEquals(decided, decisions.get());
        assertEquals(queries.size(), roomy.size());
    }

    // Through the engine (Admission.of: the server's rules and error codes).

    private static List<?> errors(GraphqlEngine.Outcome outcome) {
        return (List<?>) outcome.body().get("errors");
    }

    private static Map<?, ?> error(GraphqlEngine.Outcome outcome) {
        return (Map<?, ?>) errors(outcome).get(0);
    }

    @Test
    void mutationLimitsRefuseACachedDocumentOnEveryRequest() {
        GraphqlConfig config = GraphqlConfig.defaults();
        GraphqlEngine engine = new GraphqlEngine(config, Capabilities.schema());
        RequestContext context = new RequestContext((io.github.keycloakhasura.graphql.api.Backend) null, config, List.of());
        StringBuilder eleven = new StringBuilder("mutation {");
        for (int i = 0; i < 11; i++) {
            eleven.append(" v").append(i).append(": verifyToken(token: \"t\") { payload }");
        }
        eleven.append(" }");
        Map<String, String> refusals = Map.of(
                "mutation { a: " + LOGIN + " b: " + LOGIN + " }", MUTATION_LIMITS.tooManyCredentialFields(),
                "mutation { ...F } fragment F on Mutation { a: " + LOGIN + " ... on Mutation { b: " + LOGIN + " } }",
                MUTATION_LIMITS.tooManyCredentialFields(),
                eleven.toString(), MutationLimits.TOO_MANY_ROOT_FIELDS);
        int kept = 0;
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            for (int i = 0; i < 3; i++) {
                GraphqlEngine.Outcome outcome = engine.execute(new GraphqlRequest(refusal.getKey(), null, null), context.asGraphqlContext(), true);
                assertTrue(outcome.requestError(), outcome.body().toString());
                assertNull(outcome.body().get("data"));
                assertEquals(1, errors(outcome).size());
                assertEquals(refusal.getValue(), error(outcome).get("message"));
                assertEquals("BAD_USER_INPUT", ((Map<?, ?>) error(outcome).get("extensions")).get("code"));
            }
            assertEquals(++kept, engine.cachedDocuments(), "the refused document is kept with its verdict");
            assertEquals(OperationDefinition.Operation.MUTATION, engine.operationOf(refusal.getKey(), null), "GET rule, from the cache");
        }
    }

    @Test
    void theEmptyOperationNameIsMeasuredAsTheOperationGraphqlJavaRuns() {
        // graphql-java runs the first operation for operationName "" (the HTTP layer sends null for a blank name,
        // but the engine must not depend on that): the limits measure that same operation.
        GraphqlConfig config = GraphqlConfig.defaults();
        GraphqlEngine engine = new GraphqlEngine(config, Capabilities.schema());
        RequestContext context = new RequestContext((io.github.keycloakhasura.graphql.api.Backend) null, config, List.of());
        String document = TWO_LOGINS + " query Other { __typename }";
        for (int i = 0; i < 2; i++) {
            GraphqlEngine.Outcome outcome = engine.execute(new GraphqlRequest(document, "", null), context.asGraphqlContext(), true);
            assertTrue(outcome.requestError(), outcome.body().toString());
            assertEquals(MUTATION_LIMITS.tooManyCredentialFields(), error(outcome).get("message"));
        }
        assertEquals(OperationDefinition.Operation.MUTATION, engine.operationOf(document, ""));
        assertEquals(OperationDefinition.Operation.QUERY, engine.operationOf(document, "Other"));
        assertNull(engine.operationOf(document, null), "no single operation: execution reports that");
    }
}
