package io.github.keycloakhasura.graphql.engine.fastlists;

import com.fasterxml.jackson.core.SerializableString;
import graphql.GraphQLContext;
import graphql.execution.DataFetcherResult;
import graphql.execution.FieldCollector;
import graphql.execution.FieldCollectorParameters;
import graphql.execution.MergedField;
import graphql.execution.MergedSelectionSet;
import graphql.execution.ValueUnboxer;
import graphql.introspection.Introspection;
import graphql.language.FragmentDefinition;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.LightDataFetcher;
import io.github.keycloakhasura.graphql.engine.ContextFetcher;
import io.github.keycloakhasura.graphql.engine.ResultObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * Completing an object whose selection is plain in one walk, as graphql-java's generic executor would complete it
 * (same accessors, same coercings, same result), without an execution step, result path, parameters object and
 * future per field. Used for the items of lists ({@link FlatListExecutionStrategy}).
 * <p>
 * Plain means: every selected field is {@code __typename}, or has no arguments, is read by an accessor that needs
 * no {@link DataFetchingEnvironment} (a {@link LightDataFetcher} such as graphql-java's property fetchers, or a
 * {@link ContextFetcher}) and is a scalar or enum, a list of them, or an object (not an interface or union) whose
 * own selection is plain. Whenever a value needs more (an error, a null in a non-null field, a value that is not
 * plain), {@link Plan#complete} answers {@link #GENERIC} and the caller hands the work to graphql-java.
 */
final class PlainSelection {

    /** Marks a value only the generic path can complete. */
    static final Object GENERIC = new Object();

    /** Never built: plain accessors do not look at their environment (one that does makes the value go generic). */
    private static final Supplier<DataFetchingEnvironment> NO_ENVIRONMENT = () -> {
        throw new IllegalStateException("environment needed");
    };

    private PlainSelection() {
    }

    /** What selecting fields needs: the schema, the document's fragments, the variables (for @skip/@include). */
    record Scope(FieldCollector collector, GraphQLSchema schema, Map<String, FragmentDefinition> fragments,
                 Map<String, Object> variables, GraphQLContext graphQLContext) {
    }

    /** What completing needs at hand, per request. */
    record Run(GraphQLContext context, Locale locale, ValueUnboxer unboxer) {
    }

    /** The plan for {@code field}'s selection on {@code objectType}, or null when it is not plain. */
    static Plan plan(Scope scope, MergedField field, GraphQLObjectType objectType) {
        MergedSelectionSet fields = scope.collector().collectFields(FieldCollectorParameters.newParameters()
                .schema(scope.schema())
                .objectType(objectType)
                .fragments(scope.fragments())
                .variables(scope.variables())
                .graphQLContext(scope.graphQLContext())
                .build(), field, false);
        if (fields.isEmpty()) {
            return null;
        }
        String[] keys = new String[fields.size()];
        Step[] steps = new Step[fields.size()];
        int i = 0;
        for (String key : fields.getKeys()) {
            Step step = step(scope, fields.getSubField(key), objectType);
            if (step == null) {
                return null;
            }
            keys[i] = key;
            steps[i++] = step;
        }
        return new Plan(objectType, keys, ResultObject.jsonKeys(keys), steps);
    }

    private static Step step(Scope scope, MergedField field, GraphQLObjectType parent) {
        if (field.getName().equals(Introspection.TypeNameMetaFieldDef.getName())) {
            return new Step(Kind.TYPENAME, null, null, null, false, false, null);
        }
        GraphQLFieldDefinition definition = Introspection.getFieldDefinition(scope.schema(), parent, field.getName());
        if (!definition.getArguments().isEmpty()) {
            return null;
        }
        DataFetcher<?> fetcher = scope.schema().getCodeRegistry().getDataFetcher(parent, definition);
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
            Plan plan = plan(scope, field, object);
            return plan == null ? null : new Step(Kind.OBJECT, definition, fetcher, type, nonNull, false, plan);
        }
        return null;
    }

    private static boolean isLeaf(GraphQLType type) {
        return type instanceof GraphQLScalarType || type instanceof GraphQLEnumType;
    }

    /** Not a future, a publisher or a fetcher result (graphql-java unwraps those). */
    static boolean plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return true;
        }
        return !(value instanceof CompletionStage<?> || value instanceof DataFetcherResult<?>
                || value instanceof Flow.Publisher<?> || value instanceof org.reactivestreams.Publisher<?>);
    }

    private enum Kind { TYPENAME, LEAF, LEAF_LIST, OBJECT }

    /** An object type's plain selection: result keys (shared by every object) and how to complete each. */
    record Plan(GraphQLObjectType type, String[] keys, SerializableString[] jsonKeys, Step[] steps) {

        /** The completed object for {@code source} (not null), or {@link #GENERIC}. */
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
                raw = run.unboxer().unbox(fetcher instanceof ContextFetcher<?, ?> withContext
                        ? withContext.get(source, run.context())
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
                Object value = run.unboxer().unbox(item);
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
                        ? scalar.getCoercing().serialize(value, run.context(), run.locale())
                        : ((GraphQLEnumType) type).serialize(value, run.context(), run.locale());
            } catch (RuntimeException e) {
                return GENERIC;
            }
        }
    }
}
