package io.github.keycloakhasura.graphql.capability;

import graphql.language.Field;
import graphql.language.Selection;
import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.TransactionMode;

import java.util.List;

/** Which transaction a mutation field runs in, from the shape of its operation (see {@link TransactionMode}). */
public final class Transactions {

    private Transactions() {
    }

    /** {@link TransactionMode#REQUEST} for the operation's only root field, {@link TransactionMode#OWN} otherwise. */
    public static TransactionMode of(DataFetchingEnvironment env) {
        List<Selection> roots = env.getOperationDefinition().getSelectionSet().getSelections();
        return roots.size() == 1 && roots.get(0) instanceof Field ? TransactionMode.REQUEST : TransactionMode.OWN;
    }
}
