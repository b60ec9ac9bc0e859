package io.github.keycloakhasura.graphql.engine.fastlists;

import com.fasterxml.jackson.core.SerializableString;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherResult;
import graphql.execution.DataLoaderDispatchStrategy;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.FieldCollector;
import graphql.execution.FieldCollectorParameters;
import graphql.execution.FieldValueInfo;
import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.execution.ResultNodesInfo;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.introspection.Introspection;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.LightDataFetcher;
import io.github.keycloakhasura.graphql.capability.ContextFetcher;
import io.github.keycloakhasura.graphql.engine.fastlists.PlainSelection.Kind;
import io.github.keycloakhasura.graphql.engine.fastlists.PlainSelection.Plan;
import io.github.keycloakhasura.graphql.engine.fastlists.PlainSelection.Step;

import static io.github.keycloakhasura.graphql.engine.fastlists.PlainSelection.GENERIC;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * graphql-java's query strategy with one shortcut (server option {@code fast-lists}, on by default): a list of
 * objects whose selection is plain (e.g. a page of {@code users(first: 50) { id username … roles profile { role } }})
 * is completed in one loop over a plan made once per list, instead of an execution step, result path, parameters
 * object and future per field (500–800 per page).
 * <p>
 * Plain means: every selected field is {@code __typename}, or has no arguments, is read by an accessor that needs no
 * {@link DataFetchingEnvironment} (a {@link LightDataFetcher} such as graphql-java's property fetchers, or a
 * {@link ContextFetcher}) and is a scalar or enum, a list of them, or an object (not an interface or union) whose
 * own selection is plain. Each value is read by the same accessor and serialised by the same coercing as the generic
 * path would, so the result is identical.
 * <p>
 * Whenever anything would need the generic path's machinery (an error, a null in a non-null position, a value that
 * is not plain, instrumentation, data loaders, {@code @defer}, a result-node limit), the whole list goes through
 * {@link AsyncExecutionStrategy} unchanged. The accessors have no side effects (roles and profiles are memoised per
 * request), so calling one again there is harmless. {@code FastListsTest} compares both paths on many documents.
 */
public final class FastLists extends AsyncExecutionStrategy {

    /**
     * The graphql-java version {@code FastListsTest} (the differential suite) was last run and reviewed against.
     * {@code FastListsGraphqlJavaTest} fails when the graphql-java on the classpath (the one shaded into the jar)
     * is another: re-run and review the differential suite, then update this constant.
     */
    static final String VERIFIED_GRAPHQL_JAVA = "24.3";

    /**
     * The graphql-java APIs marked {@code @Internal} (they may change in any release) used here, all in one place.
     * Types: {@link FieldCollector} (the inherited {@code fieldCollector}) collects a list item's selection,
     * fragments and {@code @skip}/{@code @include} included, exactly as the generic path does;
     * {@link FieldCollectorParameters} is its input; {@link DataLoaderDispatchStrategy}: only {@code NO_OP} (no data
     * loaders) lets the shortcut run.
     */
    static final List<Class<?>> GRAPHQL_JAVA_INTERNALS = List.of(FieldCollector.class, FieldCollectorParameters.class,
            DataLoaderDispatchStrategy.class);

    /**
     * And members of public types ({@code Type#member}, {@code Type#new} for a constructor):
     * {@code hasIncrementalSupport} ({@code @defer} needs the generic path), {@code getDataLoaderDispatcherStrategy}
     * (see above), {@code GraphQLEnumType#serialize(Object, GraphQLContext, Locale)} (an enum value's serialisation,
     * as the generic path calls it). {@code FastListsGraphqlJavaTest} checks that both lists are exactly the
     * {@code @Internal} APIs this file names or reaches.
     */
    static final List<String> GRAPHQL_JAVA_INTERNAL_MEMBERS = List.of("ExecutionContext#hasIncrementalSupport",
            "ExecutionContext#getDataLoaderDispatcherStrategy", "GraphQLEnumType#serialize");

    public FastLists(DataFetcherExceptionHandler exceptionHandler) {
        super(exceptionHandler);
    }

    @Override
    protected FieldValueInfo completeValueForList(ExecutionContext context, ExecutionStrategyParameters parameters,
                                                  Iterable<Object> values) {
        List<Object> completed = complete(context, parameters, values);
        return completed == null
                ? super.completeValueForList(context, parameters, values)
                : new FieldValueInfo(FieldValueInfo.CompleteValueType.LIST, completed, List.of());
    }

    /** The completed list, or null when the generic path must run. */
    private List<Object> complete(ExecutionContext context, ExecutionStrategyParameters parameters, Iterable<Object> values) {
        if (context.hasIncrementalSupport()
                || context.getInstrumentation() != SimplePerformantInstrumentation.INSTANCE
                || context.getDataLoaderDispatcherStrategy() != DataLoaderDispatchStrategy.NO_OP
                || context.getGraphQLContext().hasKey(ResultNodesInfo.MAX_RESULT_NODES)
                || !(parameters.getExecutionStepInfo().getUnwrappedNonNullType() instanceof GraphQLList list)
                || !(GraphQLTypeUtil.unwrapNonNull(list.getWrappedType()) instanceof GraphQLObjectType objectType)) {
            return null;
        }
        Plan plan = plan(context, parameters.getField(), objectType);
        if (plan == null) {
            return null;
        }
        boolean itemsNonNull = GraphQLTypeUtil.isNonNull(list.getWrappedType());
        List<Object> completed = values instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
        for (Object item : values) {
            if (item instanceof DataFetcherResult<?>) {
                return null;
            }
            Object source = context.getValueUnboxer().unbox(item);
            Object object = source == null ? (itemsNonNull ? GENERIC : null) : plan.complete(context, source);
            if (object == GENERIC) {
                return null;
            }
            completed.add(object);
        }
        return completed;
    }

    /** The plan for {@code field}'s selection on {@code objectType}, or null when it is not plain. */
    private Plan plan(ExecutionContext context, MergedField field, GraphQLObjectType objectType) {
        MergedSelectionSet fields = fieldCollector.collectFields(FieldCollectorParameters.newParameters()
                .schema(context.getGraphQLSchema())
                .objectType(objectType)
                .fragments(context.getFragmentsByName())
                .variables(context.getCoercedVariables().toMap())
                .graphQLContext(context.getGraphQLContext())
                .build(), field, false);
        if (fields.isEmpty()) {
            return null;
        }
        String[] keys = new String[fields.size()];
        Step[] steps = new Step[fields.size()];
        int i = 0;
        for (String key : fields.getKeys()) {
            Step step = step(context, fields.getSubField(key), objectType);
            if (step == null) {
                return null;
            }
            keys[i] = key;
            steps[i++] = step;
        }
        return new Plan(objectType, keys, ResultObject.jsonKeys(keys), steps);
    }

    private Step step(ExecutionContext context, MergedField field, GraphQLObjectType parent) {
        if (field.getName().equals(Introspection.TypeNameMetaFieldDef.getName())) {
            return new Step(Kind.TYPENAME, null, null, null, false, false, null);
        }
        GraphQLFieldDefinition definition = Introspection.getFieldDefinition(context.getGraphQLSchema(), parent, field.getName());
        if (!definition.getArguments().isEmpty()) {
            return null;
        }
        DataFetcher<?> fetcher = context.getGraphQLSchema().getCodeRegistry().getDataFetcher(parent, definition);
        if (!(fetcher instanceof LightDataFetcher<?>)) {
            return null;
        }
        boolean nonNull = GraphQLTypeUtil.isNonNull(definition.getType());
        GraphQLType type = GraphQLTypeUtil.unwrapNonNull(definition.getType());
        if (isLeaf(type)) {
            return new Step(Kind.LEAF, definition, fetcher, type, nonNull, false, null);
        }
        if (type instanceof GraphQLList list && isLeaf(GraphQLTypeUtil.unwrapNonNull(list.getWrappedType()))) {
            return new Step(Kind.LEAF_LIST, definition, fetcher, GraphQLTypeUtil.unwrapNonNull(list.getWrappedType()),
                    nonNull, GraphQLTypeUtil.isNonNull(list.getWrappedType()), null);
        }
        Plan plan = type instanceof GraphQLObjectType object ? plan(context, field, object) : null;
        return plan == null ? null : new Step(Kind.OBJECT, definition, fetcher, type, nonNull, false, plan);
    }

    private static boolean isLeaf(GraphQLType type) {
        return type instanceof GraphQLScalarType || type instanceof GraphQLEnumType;
    }
}
