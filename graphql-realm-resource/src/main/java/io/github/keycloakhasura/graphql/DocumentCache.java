package io.github.keycloakhasura.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Parsed and validated documents by query text, least recently used evicted first. Only documents without errors
 * are kept, so junk queries cannot push out the useful ones. One instance per factory (not static).
 */
final class DocumentCache implements PreparsedDocumentProvider {

    private final int capacity;
    private final Map<String, PreparsedDocumentEntry> entries;

    DocumentCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparsedDocumentEntry> eldest) {
                return size() > DocumentCache.this.capacity;
            }
        };
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                     Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        if (capacity == 0) {
            return CompletableFuture.completedFuture(parseAndValidate.apply(input));
        }
        String key = input.getQuery();
        PreparsedDocumentEntry entry;
        synchronized (entries) {
            entry = entries.get(key);
        }
        if (entry == null) {
            entry = parseAndValidate.apply(input);
            if (!entry.hasErrors()) {
                synchronized (entries) {
                    entries.put(key, entry);
                }
            }
        }
        return CompletableFuture.completedFuture(entry);
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
