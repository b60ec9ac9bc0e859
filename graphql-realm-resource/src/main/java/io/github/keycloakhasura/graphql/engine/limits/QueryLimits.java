package io.github.keycloakhasura.graphql.engine.limits;

import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * max-query-depth and max-query-complexity, checked once per cached document and operation instead of on every
 * execution (graphql-java's MaxQueryDepth/ComplexityInstrumentation traverse the query on each request and wrap
 * every field fetch). Depth counts nested fields (a root field is 1); complexity counts fields, one each, as
 * graphql-java's default calculator does. Fragments are expanded; {@code @skip}/{@code @include} are ignored, so
 * both numbers are upper bounds whatever the variables. The walk stops as soon as a limit is passed, so a document
 * that multiplies fields through nested fragment spreads costs at most max-query-complexity steps.
 */
public final class QueryLimits {

    private final int maxDepth;
    private final int maxComplexity;

    public QueryLimits(int maxDepth, int maxComplexity) {
        this.maxDepth = maxDepth;
        this.maxComplexity = maxComplexity;
    }

    /** The error for a too deep or too complex operation of a valid document, or null. */
    public GraphQLError check(Document document, String operationName) {
        OperationDefinition operation = operation(document, operationName);
        return operation == null ? null : check(document, operation); // no operation to run: execution reports that
    }

    /** The error for a too deep or too complex {@code operation} of a valid document, or null. */
    public GraphQLError check(Document document, OperationDefinition operation) {
        Map<String, FragmentDefinition> fragments = fragments(document);
        Walk walk = new Walk(fragments);
        walk.selections(operation.getSelectionSet(), 1, 0);
        if (walk.depth > maxDepth) {
            return error("maximum query depth exceeded " + walk.depth + " > " + maxDepth);
        }
        if (walk.fields > maxComplexity) {
            return error("maximum query complexity exceeded " + walk.fields + " > " + maxComplexity);
        }
        return null;
    }

    /** A document's fragment definitions by name. */
    public static Map<String, FragmentDefinition> fragments(Document document) {
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
            fragments.put(fragment.getName(), fragment);
        }
        return fragments;
    }

    /**
     * The operation graphql-java runs for {@code operationName}, or null when it runs none (it then reports the
     * error): without a name the only operation; with the empty name the first one, as graphql-java's
     * {@code NodeUtil.getOperation} does (a valid document has no duplicate names); else the one of that name.
     */
    public static OperationDefinition operation(Document document, String operationName) {
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operationName == null) {
            return operations.size() == 1 ? operations.get(0) : null;
        }
        if (operationName.isEmpty()) {
            return operations.isEmpty() ? null : operations.get(0);
        }
        for (OperationDefinition operation : operations) {
            if (operationName.equals(operation.getName())) {
                return operation;
            }
        }
        return null;
    }

    private static GraphQLError error(String message) {
        return GraphqlErrorBuilder.newError().message(message).errorType(ErrorType.ExecutionAborted).build();
    }

    private final class Walk {
        private final Map<String, FragmentDefinition> fragments;
        int depth;
        int fields;

        Walk(Map<String, FragmentDefinition> fragments) {
            this.fragments = fragments;
        }

        /** {@code spreads} guards against fragment cycles (validation refuses them; this never loops anyway). */
        void selections(SelectionSet set, int level, int spreads) {
            if (set == null || spreads > fragments.size()) {
                return;
            }
            for (Selection<?> selection : set.getSelections()) {
                if (depth > maxDepth || fields > maxComplexity) {
                    return;
                }
                if (selection instanceof Field field) {
                    fields++;
                    depth = Math.max(depth, level);
                    selections(field.getSelectionSet(), level + 1, spreads);
                } else if (selection instanceof InlineFragment inline) {
                    selections(inline.getSelectionSet(), level, spreads);
                } else if (selection instanceof FragmentSpread spread) {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    if (fragment != null) {
                        selections(fragment.getSelectionSet(), level, spreads + 1);
                    }
                }
            }
        }
    }
}
