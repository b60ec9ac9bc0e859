package io.github.keycloakhasura.graphql.capability;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.LightDataFetcher;

import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A field fetcher that needs only its source object and the request's {@link GraphQLContext} (e.g. User.roles,
 * User.profile): graphql-java calls it as any fetcher, and the list fast path can call it without building a
 * {@link DataFetchingEnvironment} per object.
 */
public final class ContextFetcher<S, T> implements LightDataFetcher<T> {

    private final Class<S> sourceType;
    private final BiFunction<S, GraphQLContext, T> function;

    private ContextFetcher(Class<S> sourceType, BiFunction<S, GraphQLContext, T> function) {
        this.sourceType = sourceType;
        this.function = function;
    }

    public static <S, T> ContextFetcher<S, T> of(Class<S> sourceType, BiFunction<S, GraphQLContext, T> function) {
        return new ContextFetcher<>(sourceType, function);
    }

    /** The value for {@code source} in the request's {@code context} (null source: null, as graphql-java does). */
    public T get(Object source, GraphQLContext context) {
        return source == null ? null : function.apply(sourceType.cast(source), context);
    }

    @Override
    public T get(GraphQLFieldDefinition fieldDefinition, Object source, Supplier<DataFetchingEnvironment> environment) {
        return get(source, environment.get().getGraphQlContext());
    }

    @Override
    public T get(DataFetchingEnvironment environment) {
        return get(environment.getSource(), environment.getGraphQlContext());
    }
}
