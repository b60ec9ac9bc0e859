package io.github.keycloakhasura.graphql.engine;

import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.OperationDefinition;
import io.github.keycloakhasura.graphql.engine.limits.QueryLimits;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A valid document (kept by {@link Admission}, or decided once when not kept) and the verdicts of its operations so far (at most
 * {@link Admission#MAX_OPERATIONS_PER_DOCUMENT}, each decided once by the admission's rules).
 */
final class DocumentVerdicts {

    /** The verdict key of a request naming no operation: no name a request sends equals it ("" is a name to graphql-java). */
    private static final Object UNNAMED = new Object();

    final String query;
    final long weight;
    final PreparsedDocumentEntry document;
    /** By the operation's name as the document spells it, {@link #UNNAMED} for a request naming none. */
    final Map<Object, Admission.Verdict> verdicts = new ConcurrentHashMap<>();
    /** Slots of {@link #verdicts} taken (a slot is taken before its verdict is stored: the bound is strict). */
    final AtomicInteger slots = new AtomicInteger();
    /** Set by a hit, cleared by the clock's hand. */
    volatile boolean used;
    private final List<Admission.Rule> rules;

    DocumentVerdicts(String query, long weight, PreparsedDocumentEntry document, List<Admission.Rule> rules) {
        this.query = query;
        this.weight = weight;
        this.document = document;
        this.rules = rules;
    }

    /** The verdict for an operation of this (shared) entry: kept, or decided once and kept if there is room. */
    Admission.Verdict verdict(String operationName) {
        Admission.Verdict kept = verdicts.get(key(operationName));
        if (kept != null) {
            return kept;
        }
        OperationDefinition operation = QueryLimits.operation(document.getDocument(), operationName);
        if (!keepsVerdict(operation, operationName)) {
            return decide(operation);
        }
        return verdicts.computeIfAbsent(key(operation, operationName), key -> decide(operation));
    }

    /** The verdict for an operation of this entry while no other thread sees it. */
    Admission.Verdict decide(String operationName) {
        OperationDefinition operation = QueryLimits.operation(document.getDocument(), operationName);
        Admission.Verdict verdict = decide(operation);
        if (keepsVerdict(operation, operationName)) {
            verdicts.put(key(operation, operationName), verdict);
        }
        return verdict;
    }

    /**
     * Kept only for a request naming no operation or one the document defines (so a kept name is no longer than
     * the text), and while slots are left.
     */
    private boolean keepsVerdict(OperationDefinition operation, String operationName) {
        if (operationName != null && operation == null) {
            return false;
        }
        return slots.getAndUpdate(n -> n < Admission.MAX_OPERATIONS_PER_DOCUMENT ? n + 1 : n) < Admission.MAX_OPERATIONS_PER_DOCUMENT;
    }

    private Admission.Verdict decide(OperationDefinition operation) {
        if (operation == null) {
            return new Admission.Verdict(document, null); // nothing to run: execution reports that
        }
        for (Admission.Rule rule : rules) {
            GraphQLError refusal = rule.check(document.getDocument(), operation);
            if (refusal != null) {
                return new Admission.Verdict(new PreparsedDocumentEntry(refusal), operation.getOperation());
            }
        }
        return new Admission.Verdict(document, operation.getOperation());
    }

    /** The key a request's operation name is looked up by (equal to the name; no name is {@link #UNNAMED}). */
    private static Object key(String operationName) {
        return operationName == null ? UNNAMED : operationName;
    }

    /** The key a verdict is stored by: the document's own string, not the request's (the same, for "" too). */
    private static Object key(OperationDefinition operation, String operationName) {
        return operationName == null ? UNNAMED : operationName.isEmpty() ? "" : operation.getName();
    }
}
