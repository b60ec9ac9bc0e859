package io.github.keycloakhasura.graphql.engine;

import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import io.github.keycloakhasura.graphql.engine.limits.QueryLimits;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Parsed and validated documents by query text, least recently used evicted first. Only documents without errors
 * are kept, so junk queries cannot push out the useful ones. Memory is bounded for anonymous input: documents over
 * {@link #MAX_DOCUMENT_CHARS} characters are never kept, and the estimated size of all kept documents
 * ({@link #weight}) stays within {@code maxBytes}, whatever their number. Each entry also remembers, per operation name, the
 * outcome of the depth and complexity limits ({@link QueryLimits}), so a cached request is neither parsed, nor
 * validated, nor measured again. One instance per factory (not static).
 */
final class DocumentCache implements PreparsedDocumentProvider {

    /** Operation names remembered per document (more are checked each time, never stored). */
    private static final int MAX_OPERATIONS_PER_DOCUMENT = 16;
    /** Longest query text kept (4 KB; Hasura's introspection query is about 2 KB): longer ones are parsed each time. */
    static final int MAX_DOCUMENT_CHARS = 4096;
    /**
     * Estimated bytes per character of a kept document: the text (the map key, up to 2 bytes a character) and its
     * parsed and validated tree (graphql-java nodes with source locations), a generous bound for dense documents.
     */
    static final int ESTIMATED_BYTES_PER_CHAR = 16;

    private final int capacity;
    private final long maxBytes;
    private final QueryLimits limits;
    private final Map<String, Cached> entries;
    /** Sum of {@link #weight} of the kept entries; guarded by {@code entries}. */
    private long bytes;

    /** A valid document and the limit checks of its operations so far (empty Optional: within the limits). */
    private record Cached(PreparsedDocumentEntry entry, Map<String, Optional<GraphQLError>> checks) {
    }

    DocumentCache(int capacity, long maxBytes, QueryLimits limits) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.limits = limits;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** The estimated memory a document of this query text takes in the cache. */
    static long weight(String query) {
        return (long) query.length() * ESTIMATED_BYTES_PER_CHAR;
    }

    private boolean keeps(String query) {
        return capacity > 0 && query.length() <= MAX_DOCUMENT_CHARS && weight(query) <= maxBytes;
    }

    /** Adds an entry, then evicts the least recently used until both bounds hold. Caller holds {@code entries}. */
    private void store(String key, Cached cached) {
        Cached previous = entries.put(key, cached);
        if (previous == null) {
            bytes += weight(key);
        }
        var eldest = entries.entrySet().iterator();
        while ((entries.size() > capacity || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= weight(eldest.next().getKey());
            eldest.remove();
        }
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
            cached = new Cached(entry, new ConcurrentHashMap<>());
            if (keeps(key)) {
                synchronized (entries) {
                    store(key, cached);
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

    /** Estimated bytes of the kept documents (never above {@code maxBytes}). */
    long bytes() {
        synchronized (entries) {
            return bytes;
        }
    }
}
