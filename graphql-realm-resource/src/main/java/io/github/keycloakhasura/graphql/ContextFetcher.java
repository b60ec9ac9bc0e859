package io.github.keycloakhasura.graphql;

import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.LightDataFetcher;

import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A field fetcher that needs only its source object and the request's {@link RequestContext} (User.roles,
 * User.profile): graphql-java calls it as any fetcher, and {@link FlatListExecutionStrategy} can call it without
 * building a {@link DataFetchingEnvironment} per user.
 */
final class ContextFetcher<S, T> implements LightDataFetcher<T> {

    private final Class<S> sourceType;
    private final BiFunction<S, RequestContext, T> function;

    private ContextFetcher(Class<S> sourceType, BiFunction<S, RequestContext, T> function) {
        this.sourceType = sourceType;
        this.function = function;
    }

    static <S, T> ContextFetcher<S, T> of(Class<S> sourceType, BiFunction<S, RequestContext, T> function) {
        return new ContextFetcher<>(sourceType, function);
    }

    /** The value for {@code source}; {@code context} is the request's (null source: null, as graphql-java does). */
    T get(Object source, RequestContext context) {
        return source == null ? null : function.apply(sourceType.cast(source), context);
    }

    @Override
    public T get(GraphQLFieldDefinition fieldDefinition, Object source, Supplier<DataFetchingEnvironment> environment) {
        return get(source, RequestContext.of(environment.get()));
    }

    @Override
    public T get(DataFetchingEnvironment environment) {
        return get(environment.getSource(), RequestContext.of(environment));
    }
}
