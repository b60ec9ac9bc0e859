package io.github.keycloakhasura.graphql.engine;

import graphql.ExecutionInput;
import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.engine.limits.MutationLimits;
import io.github.keycloakhasura.graphql.engine.limits.QueryLimits;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Whether a request may run, decided once per document text and operation: parsed, validated (graphql-java's
 * function), then its operation measured by the {@link Rule}s (depth and complexity, {@link QueryLimits}; one
 * credential field and at most ten root fields per mutation, {@link MutationLimits}), in that order, the first
 * refusal winning. The verdict (the document, or the refusal; and the operation's type, for the GET rule) is kept
 * with the document, so a cached request is neither parsed, nor validated, nor walked again.
 * <p>
 * Only valid documents are kept, so junk cannot push out the useful ones. Memory is bounded for anonymous input:
 * documents over {@link #MAX_DOCUMENT_CHARS} are never kept, the estimated size of all kept documents
 * ({@link #weight}) stays within {@code maxBytes}, and verdicts are kept only for operations the document defines
 * (at most {@link #MAX_OPERATIONS_PER_DOCUMENT}), so an operation name costs no memory beyond the document's text.
 * Documents not kept (too long, cache size 0, invalid) are parsed, validated and measured on every request.
 * <p>
 * Eviction is CLOCK (second chance), an approximation of least recently used: a hit only sets the entry's
 * {@code used} flag; when a new document needs room, the kept ones are looked at oldest first, a used one is
 * cleared and moved to the back, the first unused one is evicted. A document hit since the hand last passed it
 * thus outlives one that was not; but among documents all hit, the one stored first goes first, whatever the order
 * of the hits (where exact LRU would evict the one hit longest ago).
 * <p>
 * Locks per request ({@link GraphqlEngine#operationOf} and {@link #getDocumentAsync} together):
 * <ul>
 *   <li>hit, operation seen before: none (a {@link ConcurrentHashMap} read, a read of the verdict map). Likewise
 *       for a name the document does not define, or an operation beyond the kept verdicts (decided, not stored).</li>
 *   <li>hit, operation new for this document: one, a bin of that document's verdict map
 *       ({@link ConcurrentHashMap#computeIfAbsent}), held while the rules walk the operation, so concurrent first
 *       requests for it wait for one verdict rather than each walking.</li>
 *   <li>miss, document kept: one, {@code ring}'s monitor, to insert and evict; parsing, validation and the walks
 *       happen before it, on the entry not yet shared. (A GET miss first parses for the operation type, lock-free.)
 *       Concurrent misses of the same new text may each parse and walk it; one entry is kept.</li>
 *   <li>not kept: none.</li>
 * </ul>
 * One instance per engine (not static).
 */
final class Admission implements PreparsedDocumentProvider {

    /** A reason an operation of a valid document may not run: the error refusing it, or null. */
    @FunctionalInterface
    interface Rule {
        GraphQLError check(Document document, OperationDefinition operation);
    }

    /** Verdicts kept per document (operations beyond are decided each time, never stored). */
    static final int MAX_OPERATIONS_PER_DOCUMENT = 16;
    /** Longest query text kept (4 KB; Hasura's introspection query is about 2 KB): longer ones are parsed each time. */
    static final int MAX_DOCUMENT_CHARS = 4096;
    /**
     * Estimated bytes per character of a kept document: the text (the map key, up to 2 bytes a character) and its
     * parsed and validated tree (graphql-java nodes with source locations), a generous bound for dense documents.
     */
    static final int ESTIMATED_BYTES_PER_CHAR = 16;

    /** The outcome for one operation: what graphql-java gets (the document, or the refusal) and the operation's type. */
    record Verdict(PreparsedDocumentEntry entry, OperationDefinition.Operation operation) {
    }

    private final int capacity;
    private final long maxBytes;
    private final List<Rule> rules;
    private final Map<String, DocumentVerdicts> entries = new ConcurrentHashMap<>();
    /** Kept entries, oldest first (the clock's hand is its head); guards itself and the writes of {@link #bytes}. */
    private final ArrayDeque<DocumentVerdicts> ring = new ArrayDeque<>();
    /** Sum of the weights of the kept entries; written only under {@link #ring}. */
    private volatile long bytes;

    Admission(int capacity, long maxBytes, List<Rule> rules) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.rules = List.copyOf(rules);
    }

    /** The server's admission: the configured cache bounds, query limits, then mutation limits. */
    static Admission of(GraphqlConfig config, MutationLimits mutationLimits) {
        QueryLimits limits = new QueryLimits(config.maxQueryDepth(), config.maxQueryComplexity());
        return new Admission(config.documentCacheSize(), config.documentCacheBytes(), List.of(limits::check, mutationLimits::check));
    }

    /** The estimated memory a document of this query text takes in the cache. */
    static long weight(String query) {
        return (long) query.length() * ESTIMATED_BYTES_PER_CHAR;
    }

    private boolean keeps(String query) {
        return capacity > 0 && query.length() <= MAX_DOCUMENT_CHARS && weight(query) <= maxBytes;
    }

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(ExecutionInput input,
                                                                     Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        String query = input.getQuery();
        String operationName = input.getOperationName();
        Verdict verdict = cached(query, operationName);
        if (verdict == null) {
            PreparsedDocumentEntry parsed = parseAndValidate.apply(input);
            if (parsed.hasErrors()) {
                return CompletableFuture.completedFuture(parsed);
            }
            DocumentVerdicts fresh = new DocumentVerdicts(query, weight(query), parsed, rules);
            verdict = fresh.decide(operationName); // before the entry is shared: no lock
            if (keeps(query)) {
                store(fresh);
            }
        }
        return CompletableFuture.completedFuture(verdict.entry());
    }

    /**
     * The verdict for an operation of a kept document (decided now if new), or null when the text is not kept; the
     * GET rule's operation type comes from here too. Lock-free for an operation already decided.
     */
    Verdict cached(String query, String operationName) {
        DocumentVerdicts cached = keeps(query) ? entries.get(query) : null;
        if (cached == null) {
            return null;
        }
        if (!cached.used) {
            cached.used = true;
        }
        return cached.verdict(operationName);
    }

    /**
     * Evicts until the entry fits within both bounds, then adds it (unless another thread did). The one lock of a
     * miss. Room is made before the entry joins the ring, so it is never the one evicted to make room for itself.
     */
    private void store(DocumentVerdicts fresh) {
        synchronized (ring) {
            if (entries.containsKey(fresh.query)) {
                return;
            }
            long total = bytes;
            while ((entries.size() >= capacity || total + fresh.weight > maxBytes) && !ring.isEmpty()) {
                DocumentVerdicts oldest = ring.pollFirst();
                if (oldest.used) {
                    oldest.used = false; // second chance
                    ring.addLast(oldest);
                } else {
                    entries.remove(oldest.query);
                    total -= oldest.weight;
                }
            }
            entries.put(fresh.query, fresh);
            ring.addLast(fresh);
            bytes = total + fresh.weight;
        }
    }

    int size() {
        return entries.size();
    }

    /** Estimated bytes of the kept documents (never above {@code maxBytes}). */
    long bytes() {
        return bytes;
    }

    /** Verdicts kept for a kept document, -1 when the text is not kept. */
    int verdictsKept(String query) {
        DocumentVerdicts cached = entries.get(query);
        return cached == null ? -1 : cached.verdicts.size();
    }
}
