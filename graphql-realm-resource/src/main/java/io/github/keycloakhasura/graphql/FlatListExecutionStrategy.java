package io.github.keycloakhasura.graphql;

import com.fasterxml.jackson.core.SerializableString;
import graphql.execution.AsyncExecutionStrategy;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherResult;
import graphql.execution.DataLoaderDispatchStrategy;
import graphql.execution.ExecutionContext;
import graphql.execution.ExecutionStrategyParameters;
import graphql.execution.FieldCollectorParameters;
import graphql.execution.FieldValueInfo;
import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.execution.ResultNodesInfo;
import graphql.execution.ValueUnboxer;
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

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * graphql-java's query strategy, with one shortcut: a list of objects whose selection is plain (e.g. a page of
 * {@code users(first: 50) { id username … roles profile { role } }}) is completed in one loop over a plan made once
 * per list, instead of an execution step, result path, parameters object and future per field (500–800 per page).
 * <p>
 * Plain means: every selected field is {@code __typename}, or has no arguments, is read by an accessor that needs
 * no {@link DataFetchingEnvironment} (a {@link LightDataFetcher} such as graphql-java's property fetchers, or a
 * {@link ContextFetcher}) and is a scalar or enum, a list of them, or an object (not an interface or union) whose
 * own selection is plain. Each value is read by the same accessor and serialised by the same coercing as the
 * generic path would, so the result is identical.
 * <p>
 * Whenever anything would need the generic path's machinery (an error, a null in a non-null position, a value that
 * is not plain, instrumentation, data loaders, {@code @defer}, a result-node limit), the whole list goes through
 * {@link AsyncExecutionStrategy} unchanged. The accessors have no side effects (roles and profiles are memoised per
 * request), so calling one again there is harmless. {@code FlatListExecutionStrategyTest} compares both paths on
 * many documents.
 */
final class FlatListExecutionStrategy extends AsyncExecutionStrategy {

    /** Marks a value only the generic path can complete. */
    private static final Object GENERIC = new Object();

    /** Never built: plain accessors do not look at their environment (one that does makes the list go generic). */
    private static final Supplier<DataFetchingEnvironment> NO_ENVIRONMENT = () -> {
        throw new IllegalStateException("environment needed");
    };

    private final boolean enabled;
    private final LongAdder flattened = new LongAdder();

    /** {@code enabled = false}: graphql-java's generic path only (the reference the tests compare with). */
    FlatListExecutionStrategy(DataFetcherExceptionHandler exceptionHandler, boolean enabled) {
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
        Plan plan = plan(context, parameters.getField(), objectType);
        if (plan == null) {
            return null;
        }
        Run run = new Run(context, RequestContext.of(context.getGraphQLContext()));
        boolean itemsNonNull = GraphQLTypeUtil.isNonNull(itemType);
        List<Object> completed = values instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
        for (Object item : values) {
            if (item instanceof DataFetcherResult<?>) {
                return null;
            }
            Object source = run.unboxer.unbox(item);
            if (source == null) {
                if (itemsNonNull) {
                    return null;
                }
                completed.add(null);
                continue;
            }
            Object object = plan.complete(run, source);
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
        GraphQLFieldDefinition definition = getFieldDef(context.getGraphQLSchema(), parent, field.getSingleField());
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
        if (type instanceof GraphQLList list) {
            GraphQLType item = GraphQLTypeUtil.unwrapNonNull(list.getWrappedType());
            return isLeaf(item)
                    ? new Step(Kind.LEAF_LIST, definition, fetcher, item, nonNull, GraphQLTypeUtil.isNonNull(list.getWrappedType()), null)
                    : null;
        }
        if (type instanceof GraphQLObjectType object) {
            Plan plan = plan(context, field, object);
            return plan == null ? null : new Step(Kind.OBJECT, definition, fetcher, type, nonNull, false, plan);
        }
        return null;
    }

    private static boolean isLeaf(GraphQLType type) {
        return type instanceof GraphQLScalarType || type instanceof GraphQLEnumType;
    }

    /** What a list's completion needs at hand. */
    private record Run(ExecutionContext context, RequestContext request, ValueUnboxer unboxer) {
        Run(ExecutionContext context, RequestContext request) {
            this(context, request, context.getValueUnboxer());
        }
    }

    private enum Kind { TYPENAME, LEAF, LEAF_LIST, OBJECT }

    /** An object type's plain selection: result keys (shared by every object) and how to complete each. */
    private record Plan(GraphQLObjectType type, String[] keys, SerializableString[] jsonKeys, Step[] steps) {

        Object complete(Run run, Object source) {
            Object[] values = new Object[steps.length];
            for (int i = 0; i < steps.length; i++) {
                Object value = steps[i].complete(run, type, source);
                if (value == GENERIC) {
                    return GENERIC;
                }
                values[i] = value;
            }
            return new ResultObject(keys, jsonKeys, values);
        }
    }

    /** One selected field: its definition, accessor, type (leaf, leaf of a list, or object) and nullability. */
    private record Step(Kind kind, GraphQLFieldDefinition definition, DataFetcher<?> fetcher, GraphQLType type,
                        boolean nonNull, boolean itemsNonNull, Plan plan) {

        Object complete(Run run, GraphQLObjectType parent, Object source) {
            if (kind == Kind.TYPENAME) {
                return parent.getName();
            }
            Object raw;
            try {
                raw = run.unboxer.unbox(fetcher instanceof ContextFetcher<?, ?> withContext
                        ? withContext.get(source, run.request)
                        : ((LightDataFetcher<?>) fetcher).get(definition, source, NO_ENVIRONMENT));
            } catch (Exception e) {
                return GENERIC;
            }
            if (!plain(raw)) {
                return GENERIC;
            }
            if (raw == null) {
                return nonNull ? GENERIC : null;
            }
            return switch (kind) {
                case LEAF -> {
                    Object serialized = serialize(run, type, raw);
                    yield serialized == null && nonNull ? GENERIC : serialized;
                }
                case LEAF_LIST -> list(run, raw);
                case OBJECT -> plan.complete(run, raw);
                default -> GENERIC;
            };
        }

        private Object list(Run run, Object raw) {
            if (!(raw instanceof Iterable<?> items)) {
                return GENERIC;
            }
            List<Object> out = items instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
            for (Object item : items) {
                Object value = run.unboxer.unbox(item);
                if (!plain(value)) {
                    return GENERIC;
                }
                Object serialized = value == null ? null : serialize(run, type, value);
                if (serialized == GENERIC || serialized == null && itemsNonNull) {
                    return GENERIC;
                }
                out.add(serialized);
            }
            return out;
        }

        /** The leaf's coercing, as the generic path applies it; an error there is the generic path's to report. */
        private static Object serialize(Run run, GraphQLType type, Object value) {
            try {
                return type instanceof GraphQLScalarType scalar
                        ? scalar.getCoercing().serialize(value, run.context.getGraphQLContext(), run.context.getLocale())
                        : ((GraphQLEnumType) type).serialize(value, run.context.getGraphQLContext(), run.context.getLocale());
            } catch (RuntimeException e) {
                return GENERIC;
            }
        }

        /** Not a future, a publisher or a fetcher result (graphql-java unwraps those). */
        private static boolean plain(Object value) {
            if (value == null || value instanceof String || value instanceof Boolean) {
                return true;
            }
            return !(value instanceof CompletionStage<?> || value instanceof DataFetcherResult<?>
                    || value instanceof Flow.Publisher<?> || value instanceof org.reactivestreams.Publisher<?>);
        }
    }
}
