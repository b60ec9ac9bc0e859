package io.github.keycloakhasura.graphql;

import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Parsed and validated documents by query text, least recently used evicted first. Only documents without errors
 * are kept, so junk queries cannot push out the useful ones. Each entry also remembers, per operation name, the
 * outcome of the depth and complexity limits ({@link QueryLimits}), so a cached request is neither parsed, nor
 * validated, nor measured again. One instance per factory (not static).
 */
final class DocumentCache implements PreparsedDocumentProvider {

    /** Operation names remembered per document (more are checked each time, never stored). */
    private static final int MAX_OPERATIONS_PER_DOCUMENT = 16;

    private final int capacity;
    private final QueryLimits limits;
    private final Map<String, Cached> entries;

    /**
     * A valid document, the limit checks of its operations so far (empty Optional: within the limits) and what
     * {@link #derived} made of them.
     */
    private record Cached(PreparsedDocumentEntry entry, Map<String, Optional<GraphQLError>> checks,
                          Map<String, Optional<Object>> derived) {
    }

    DocumentCache(int capacity, QueryLimits limits) {
        this.capacity = capacity;
        this.limits = limits;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > DocumentCache.this.capacity;
            }
        };
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                     Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String key = input.getQuery();
        Cached cached = capacity > 0 ? lookup(key) : null;
        if (cached == null) {
            PreparsedDocumentEntry entry = parseAndValidate.apply(input);
            if (entry.hasErrors()) {
                return CompletableFuture.completedFuture(entry);
            }
            cached = new Cached(entry, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
            if (capacity > 0) {
                synchronized (entries) {
                    entries.put(key, cached);
                }
            }
        }
        String operation = operationKey(input.getOperationName());
        Optional<GraphQLError> tooBig = cached.checks().get(operation);
        if (tooBig == null) {
            tooBig = Optional.ofNullable(limits.check(cached.entry().getDocument(), input.getOperationName()));
            if (cached.checks().size() < MAX_OPERATIONS_PER_DOCUMENT) {
                cached.checks().put(operation, tooBig);
            }
        }
        return CompletableFuture.completedFuture(tooBig.isPresent() ? new PreparsedDocumentEntry(tooBig.get()) : cached.entry());
    }

    /** The cached document for a query text, if any. */
    Document cachedDocument(String query) {
        Cached cached = lookup(query);
        return cached == null ? null : cached.entry().getDocument();
    }

    /**
     * What {@code make} makes of an operation of a cached document (for {@link SoleMutations}, its one user: a plan),
     * made once and kept with the document. Null when the query is not cached yet, when the operation has not been
     * checked against the depth and complexity limits yet (a request through graphql-java does both) or is over
     * them, and when {@code make} answers null.
     */
    @SuppressWarnings("unchecked")
    <T> T derived(String query, String operationName, BiFunction<Document, String, T> make) {
        Cached cached = lookup(query);
        if (cached == null) {
            return null;
        }
        String operation = operationKey(operationName);
        Optional<GraphQLError> tooBig = cached.checks().get(operation);
        if (tooBig == null || tooBig.isPresent()) {
            return null;
        }
        Optional<Object> made = cached.derived().get(operation);
        if (made == null) {
            made = Optional.ofNullable(make.apply(cached.entry().getDocument(), operationName));
            if (cached.derived().size() < MAX_OPERATIONS_PER_DOCUMENT) {
                cached.derived().put(operation, made);
            }
        }
        return (T) made.orElse(null);
    }

    private Cached lookup(String query) {
        synchronized (entries) {
            return entries.get(query);
        }
    }

    /** The key of an operation's entries: its name, or "" for a request without one. */
    private static String operationKey(String operationName) {
        return operationName == null ? "" : operationName;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
