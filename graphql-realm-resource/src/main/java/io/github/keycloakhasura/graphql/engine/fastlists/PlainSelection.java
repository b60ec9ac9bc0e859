package io.github.keycloakhasura.graphql.engine.fastlists;

import com.fasterxml.jackson.core.SerializableString;
import graphql.execution.DataFetcherResult;
import graphql.execution.ExecutionContext;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLType;
import graphql.schema.LightDataFetcher;
import io.github.keycloakhasura.graphql.capability.ContextFetcher;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * {@link FastLists}' plan of a plain selection and its completion: per object, each field read by its accessor and
 * serialised by its coercing as graphql-java's generic path would, or {@link #GENERIC} as soon as anything needs
 * that path.
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

    /**
     * Not a future, a publisher or a fetcher result (graphql-java unwraps those). Strings, booleans and nulls (most
     * values) are answered before the interface checks: on JDK 17 each {@code instanceof} against another interface
     * evicts the class's one-entry secondary-supers cache, so four of them per value made a page of 50 users take
     * twice as long (JMH users50 15 µs → 28 µs).
     */
    static boolean plain(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return true;
        }
        return !(value instanceof CompletionStage<?> || value instanceof DataFetcherResult<?>
                || value instanceof Flow.Publisher<?> || value instanceof org.reactivestreams.Publisher<?>);
    }

    enum Kind { TYPENAME, LEAF, LEAF_LIST, OBJECT }

    /** An object type's plain selection: result keys (shared by every object) and how to complete each. */
    record Plan(GraphQLObjectType type, String[] keys, SerializableString[] jsonKeys, Step[] steps) {

        /** The completed object for {@code source} (not null), or {@link #GENERIC}. */
        Object complete(ExecutionContext context, Object source) {
            Object[] values = new Object[steps.length];
            for (int i = 0; i < steps.length; i++) {
                values[i] = steps[i].complete(context, type, source);
                if (values[i] == GENERIC) {
                    return GENERIC;
                }
            }
            return new ResultObject(keys, jsonKeys, values);
        }
    }

    /** One selected field: its definition, accessor, type (leaf, leaf of a list, or object) and nullability. */
    record Step(Kind kind, GraphQLFieldDefinition definition, DataFetcher<?> fetcher, GraphQLType type,
                        boolean nonNull, boolean itemsNonNull, Plan plan) {

        Object complete(ExecutionContext context, GraphQLObjectType parent, Object source) {
            if (kind == Kind.TYPENAME) {
                return parent.getName();
            }
            Object raw;
            try {
                raw = context.getValueUnboxer().unbox(fetcher instanceof ContextFetcher<?, ?> withContext
                        ? withContext.get(source, context.getGraphQLContext())
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
                    Object serialized = serialize(context, raw);
                    yield serialized == null && nonNull ? GENERIC : serialized;
                }
                case LEAF_LIST -> list(context, raw);
                case OBJECT -> plan.complete(context, raw);
                default -> GENERIC;
            };
        }

        private Object list(ExecutionContext context, Object raw) {
            if (!(raw instanceof Iterable<?> items)) {
                return GENERIC;
            }
            List<Object> out = items instanceof Collection<?> c ? new ArrayList<>(c.size()) : new ArrayList<>();
            for (Object item : items) {
                Object value = context.getValueUnboxer().unbox(item);
                if (!plain(value)) {
                    return GENERIC;
                }
                Object serialized = value == null ? null : serialize(context, value);
                if (serialized == GENERIC || serialized == null && itemsNonNull) {
                    return GENERIC;
                }
                out.add(serialized);
            }
            return out;
        }

        /** The leaf's coercing, as the generic path applies it; an error there is the generic path's to report. */
        private Object serialize(ExecutionContext context, Object value) {
            try {
                return type instanceof GraphQLScalarType scalar
                        ? scalar.getCoercing().serialize(value, context.getGraphQLContext(), context.getLocale())
                        : ((GraphQLEnumType) type).serialize(value, context.getGraphQLContext(), context.getLocale());
            } catch (RuntimeException e) {
                return GENERIC;
            }
        }
    }
}
