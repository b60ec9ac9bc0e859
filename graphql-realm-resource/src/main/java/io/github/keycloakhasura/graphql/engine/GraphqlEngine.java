package io.github.keycloakhasura.graphql.engine;

import graphql.AssertException;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.ParseAndValidate;
import graphql.execution.AsyncExecutionStrategy;
import graphql.introspection.Introspection;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import graphql.schema.GraphQLSchema;
import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.engine.fastlists.FastLists;
import io.github.keycloakhasura.graphql.engine.limits.MutationLimits;
import io.github.keycloakhasura.graphql.engine.limits.QueryLimits;
import graphql.validation.rules.SubscriptionUniqueRootField;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The {@link GraphQL} instance (schema, query depth and complexity limits, document cache, error handling), built
 * once per server by the factory and shared by all requests: it holds no per-request state. No instrumentation:
 * parsing, validation and the query and mutation limits are decided once per cached document and operation
 * ({@link Admission}), so a request costs no more than running its fields. It knows no operation: the executable
 * schema (schema.graphqls and its fetchers) is given to it, and the request's own objects (the Keycloak backend, the caller) travel in the {@link graphql.GraphQLContext}.
 * One optional shortcut around graphql-java's executor, answering exactly what it would: lists of plain objects
 * ({@link FastLists}, server option {@code fast-lists}).
 */
public final class GraphqlEngine {

    private static final Logger LOG = Logger.getLogger(GraphqlEngine.class);

    /** Whitespace and comment tokens a document may have (Hasura's introspection query has about 2,200). */
    public static final int MAX_WHITESPACE_TOKENS = 20_000;

    /**
     * graphql-java's validation rules, less {@link SubscriptionUniqueRootField}: the schema has no subscriptions (a
     * subscription is refused by KnownOperationTypes anyway), and that rule evaluates {@code @skip}/{@code @include}
     * before the other rules have checked their arguments, failing with a NullPointerException on documents such as
     * {@code subscription { whoami @skip(if: "no") { id } }} (found by GraphqlFuzzIT).
     */
    public static final Predicate<Class<?>> VALIDATION_RULES = rule -> rule != SubscriptionUniqueRootField.class;

    private final GraphQL graphql;
    private final GraphQLSchema schema;
    private final Admission admission;
    private final ParserOptions parserOptions;

    public GraphqlEngine(GraphqlConfig config, ExecutableSchema executable) {
        GraphQLSchema schema = executable.graphql();
        this.schema = schema;
        this.admission = Admission.of(config, new MutationLimits(executable.credentialFields()));
        this.parserOptions = parserOptions(config);
        GraphqlErrors errors = new GraphqlErrors();
        this.graphql = GraphQL.newGraphQL(schema)
                // fast-lists: lists of plain objects (a page of users) completed in one loop; else as graphql-java does
                .queryExecutionStrategy(config.fastLists() ? new FastLists(errors) : new AsyncExecutionStrategy(errors))
                // parse, validate, depth/complexity, one credential field and at most ten root fields per mutation:
                // decided once per cached document and operation, before anything runs
                .preparsedDocumentProvider(admission)
                .defaultDataFetcherExceptionHandler(errors)
                .build();
    }

    /**
     * The parser's limits, checked while the document is read (before validation, before the depth and complexity
     * limits, which need a parsed document): grammar tokens ({@code max-query-tokens}), whitespace tokens,
     * characters (never more than a body may have) and grammar nesting (enough for {@code max-query-depth}).
     * A document over a limit is a syntax error ({@code BAD_USER_INPUT}).
     */
    public static ParserOptions parserOptions(GraphqlConfig config) {
        return ParserOptions.getDefaultOperationParserOptions().transform(options -> options
                .maxTokens(config.maxQueryTokens())
                .maxWhitespaceTokens(MAX_WHITESPACE_TOKENS)
                .maxCharacters(config.maxRequestBytes())
                .maxRuleDepth(Math.max(200, 4 * config.maxQueryDepth())));
    }

    public GraphQLSchema schema() {
        return schema;
    }

    public ParserOptions parserOptions() {
        return parserOptions;
    }

    /** Documents in the admission cache now (shown in the server info, with {@link #cachedDocumentBytes}). */
    public int cachedDocuments() {
        return admission.size();
    }

    /** Estimated bytes of the cached documents (never above {@code document-cache-bytes}). */
    public long cachedDocumentBytes() {
        return admission.bytes();
    }

    /** The answer to a request: the spec's {@code data}/{@code errors} map and whether it is a request error. */
    public record Outcome(Map<String, Object> body, boolean requestError) {
    }

    /**
     * Runs a request. {@code requestObjects}: what the fetchers of this request share (e.g. the Keycloak backend),
     * put into its {@link graphql.GraphQLContext} as given.
     */
    public Outcome execute(GraphqlRequest request, Map<?, ?> requestObjects, boolean introspectionAllowed) {
        Map<Object, Object> graphqlContext = new HashMap<>(requestObjects);
        graphqlContext.put(Introspection.INTROSPECTION_DISABLED, !introspectionAllowed);
        graphqlContext.put(ParserOptions.class, parserOptions);
        graphqlContext.put(ParseAndValidate.INTERNAL_VALIDATION_PREDICATE_HINT, VALIDATION_RULES);
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.query())
                .operationName(request.operationName())
                .variables(request.variables())
                .graphQLContext(graphqlContext)
                .build();
        ExecutionResult result;
        try {
            result = graphql.execute(input);
        } catch (AssertException e) {
            return unexecutable(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (!result.getErrors().isEmpty()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (GraphQLError error : result.getErrors()) {
                errors.add(GraphqlErrors.toSpecification(error));
            }
            body.put("errors", errors);
        }
        if (result.isDataPresent()) {
            body.put("data", result.getData());
        }
        return new Outcome(body, !result.isDataPresent());
    }

    /**
     * {@link #operation(String, String)}, from the admission's verdict when the document is kept (no parse, no lock;
     * the verdict is the one {@link #execute} then uses).
     */
    public OperationDefinition.Operation operationOf(String query, String operationName) {
        Admission.Verdict cached = admission.cached(query, operationName);
        return cached == null ? operation(query, operationName) : cached.operation();
    }

    /**
     * A valid document that graphql-java cannot execute: one of its internal assertions failed. Seen with odd
     * introspection documents (GoodFaithIntrospection builds a normalized operation that gives a field of
     * {@code __Field} the type {@code __Type}; found by GraphqlFuzzIT). The request is refused as a request error
     * rather than a 500; the stack trace is logged under the id in the message.
     */
    private static Outcome unexecutable(AssertException e) {
        String id = UUID.randomUUID().toString();
        LOG.warnf(e, "GraphQL document not executable by graphql-java (error id %s)", id);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", "This document cannot be executed here; simplify it (error id " + id + ")");
        error.put("extensions", Map.of("code", ErrorCode.BAD_USER_INPUT.name()));
        return new Outcome(Map.of("errors", List.of(error)), true);
    }

    /**
     * The type of the operation a request would run, for the GET rule (queries only); null when the document does
     * not parse or names no single operation (execution then reports the error).
     */
    public OperationDefinition.Operation operation(String query, String operationName) {
        Document document;
        try {
            document = new Parser().parseDocument(ParserEnvironment.newParserEnvironment()
                    .document(query).parserOptions(parserOptions).build());
        } catch (RuntimeException e) {
            return null;
        }
        OperationDefinition operation = QueryLimits.operation(document, operationName);
        return operation == null ? null : operation.getOperation();
    }
}
