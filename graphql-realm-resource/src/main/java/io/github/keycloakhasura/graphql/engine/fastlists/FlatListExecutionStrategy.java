package io.github.keycloakhasura.graphql.engine.fastlists;

import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherResult;
import graphql.execution.DataLoaderDispatchStrategy;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.FieldValueInfo;
import graphql.execution.ResultNodesInfo;
import graphql.execution.ValueUnboxer;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.LightDataFetcher;
import io.github.keycloakhasura.graphql.engine.ContextFetcher;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * graphql-java's query strategy, with one shortcut: a list of objects whose selection is plain (e.g. a page of
 * {@code users(first: 50) { id username … roles profile { role } }}) is completed in one loop over a plan made once
 * per list, instead of an execution step, result path, parameters object and future per field (500–800 per page).
 * <p>
 * Plain is defined by {@link PlainSelection}: plain accessors ({@link LightDataFetcher}s, {@link ContextFetcher}s,
 * no {@link DataFetchingEnvironment}) of scalars, enums, lists of them and plain objects. Each value is read by the
 * same accessor and serialised by the same coercing as the generic path would, so the result is identical.
 * <p>
 * Whenever anything would need the generic path's machinery (an error, a null in a non-null position, a value that
 * is not plain, instrumentation, data loaders, {@code @defer}, a result-node limit), the whole list goes through
 * {@link AsyncExecutionStrategy} unchanged. The accessors have no side effects (roles and profiles are memoised per
 * request), so calling one again there is harmless. {@code FlatListExecutionStrategyTest} compares both paths on
 * many documents.
 */
public final class FlatListExecutionStrategy extends AsyncExecutionStrategy {

    private final boolean enabled;
    private final LongAdder flattened = new LongAdder();

    /** {@code enabled = false}: graphql-java's generic path only (the reference the tests compare with). */
    public FlatListExecutionStrategy(DataFetcherExceptionHandler exceptionHandler, boolean enabled) {
        super(exceptionHandler);
        this.enabled = enabled;
    }

    /** Lists completed by the shortcut so far (a statistic, for tests). */
    long flattenedLists() {
        return flattened.sum();
    }

    @Override
    protected FieldValueInfo completeValueForList(ExecutionContext context, ExecutionStrategyParameters parameters,
                                                  Iterable<Object> values) {
        List<Object> flat = flatten(context, parameters, values);
        if (flat == null) {
            return super.completeValueForList(context, parameters, values);
        }
        flattened.increment();
        return new FieldValueInfo(FieldValueInfo.CompleteValueType.LIST, flat, List.of());
    }

    /** The completed list, or null when the generic path must run. */
    private List<Object> flatten(ExecutionContext context, ExecutionStrategyParameters parameters, Iterable<Object> values) {
        if (!enabled
                || context.hasIncrementalSupport()
                || context.getInstrumentation() != SimplePerformantInstrumentation.INSTANCE
                || context.getDataLoaderDispatcherStrategy() != DataLoaderDispatchStrategy.NO_OP
                || context.getGraphQLContext().hasKey(ResultNodesInfo.MAX_RESULT_NODES)
                || !(parameters.getExecutionStepInfo().getUnwrappedNonNullType() instanceof GraphQLList list)) {
            return null;
        }
        GraphQLType itemType = list.getWrappedType();
        if (!(GraphQLTypeUtil.unwrapNonNull(itemType) instanceof GraphQLObjectType objectType)) {
            return null;
        }
        PlainSelection.Plan plan = PlainSelection.plan(new PlainSelection.Scope(fieldCollector, context.getGraphQLSchema(),
                context.getFragmentsByName(), context.getCoercedVariables().toMap(), context.getGraphQLContext()),
                parameters.getField(), objectType);
        if (plan == null) {
            return null;
        }
        ValueUnboxer unboxer = context.getValueUnboxer();
        PlainSelection.Run run = new PlainSelection.Run(context.getGraphQLContext(), context.getLocale(), unboxer);
        boolean itemsNonNull = GraphQLTypeUtil.isNonNull(itemType);
        List<Object> completed = values instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
        for (Object item : values) {
            if (item instanceof DataFetcherResult<?>) {
                return null;
            }
            Object source = unboxer.unbox(item);
            if (source == null) {
                if (itemsNonNull) {
                    return null;
                }
                completed.add(null);
                continue;
            }
            Object object = plan.complete(run, source);
            if (object == PlainSelection.GENERIC) {
                return null;
            }
            completed.add(object);
        }
        return completed;
    }
}
