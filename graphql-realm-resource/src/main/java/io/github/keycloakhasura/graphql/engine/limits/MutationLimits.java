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

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Rules for the root of a mutation, checked on the parsed and validated document before any field runs; a
 * mutation that breaks one is refused as a whole ({@code BAD_USER_INPUT}, no data), so none of its fields reaches
 * Keycloak.
 * <ul>
 *   <li>At most one credential-checking field ({@code tokenAuth}, {@code passwordChange}, {@code deleteAccount} check
 *       a password, {@code totpRemove} a code, {@code createUser} and {@code passwordReset} set one).
 *       With aliases ({@code a: tokenAuth(…) b: tokenAuth(…)}), repeated fields or fragments one document could
 *       otherwise try many passwords in one HTTP request. Keycloak's brute-force detection would still count every
 *       attempt, but rate limits in front of Keycloak count requests, and its quick-login check compares the times
 *       of consecutive failures; one request must mean at most one guess.</li>
 *   <li>At most {@link #MAX_ROOT_FIELDS} root fields: each runs in its own Keycloak transaction, and a few hundred
 *       aliased {@code verifyToken}s would multiply what one anonymous request costs the server.</li>
 * </ul>
 * Fields are counted wherever they sit at the root: plain, aliased, in inline fragments and in fragment spreads
 * (followed transitively). {@code @skip}/{@code @include} are ignored on purpose: a field that could run counts.
 * A pure walk over the root of one operation; the engine's admission step ({@code Admission}) runs it once per cached
 * document and operation, and on every request for documents it does not keep.
 */
public final class MutationLimits {

    /** Root fields that check or set a password (or check a one-time code). */
    public static final Set<String> CREDENTIAL_FIELDS = Set.of("tokenAuth", "createUser", "passwordReset", "passwordChange",
            "totpConfirm", "totpRemove", "updateAccount", "deleteAccount", "loginWithLink", "loginWithCode",
            "passkeyRegister", "passkeyLogin", "passkeyRemove");
    public static final int MAX_CREDENTIAL_FIELDS = 1;
    public static final int MAX_ROOT_FIELDS = 10;

    public static final String TOO_MANY_CREDENTIAL_FIELDS = "At most one tokenAuth, createUser, passwordReset, passwordChange, totpConfirm, "
            + "totpRemove, updateAccount, deleteAccount, loginWithLink, loginWithCode, passkeyRegister, passkeyLogin or passkeyRemove "
            + "may run per request (aliases, repeated "
            + "fields and fragments count); send each as its own request";
    public static final String TOO_MANY_ROOT_FIELDS = "A mutation may have at most " + MAX_ROOT_FIELDS
            + " root fields; send more requests instead";

    private MutationLimits() {
    }

    /**
     * The error refusing {@code operation} of a valid document as a whole ({@code ExecutionAborted}, reported as
     * {@code BAD_USER_INPUT}), or null when it may run. Queries have no such fields.
     */
    public static GraphQLError check(Document document, OperationDefinition operation) {
        if (operation.getOperation() != OperationDefinition.Operation.MUTATION) {
            return null;
        }
        Counts counts = count(operation, QueryLimits.fragments(document));
        if (counts.credentials() > MAX_CREDENTIAL_FIELDS) {
            return refusal(TOO_MANY_CREDENTIAL_FIELDS);
        }
        if (counts.fields() > MAX_ROOT_FIELDS) {
            return refusal(TOO_MANY_ROOT_FIELDS);
        }
        return null;
    }

    private static GraphQLError refusal(String message) {
        return GraphqlErrorBuilder.newError().message(message).errorType(ErrorType.ExecutionAborted).build();
    }

    /** Root fields of an operation, all of them and the credential-checking ones. */
    public record Counts(int fields, int credentials) {
    }

    public static Counts count(OperationDefinition operation, Map<String, FragmentDefinition> fragments) {
        int[] counts = new int[2];
        count(operation.getSelectionSet(), fragments, new HashSet<>(), counts);
        return new Counts(counts[0], counts[1]);
    }

    private static void count(SelectionSet selections, Map<String, FragmentDefinition> fragments, Set<String> seen, int[] counts) {
        if (selections == null) {
            return;
        }
        for (Selection<?> selection : selections.getSelections()) {
            if (selection instanceof Field field) {
                counts[0]++;
                if (CREDENTIAL_FIELDS.contains(field.getName())) {
                    counts[1]++;
                }
            } else if (selection instanceof InlineFragment inline) {
                count(inline.getSelectionSet(), fragments, seen, counts);
            } else if (selection instanceof FragmentSpread spread) {
                FragmentDefinition fragment = fragments.get(spread.getName());
                // A fragment spread twice at the root merges into the same fields: counted once. The set also ends
                // cycles, which validation refuses anyway.
                if (fragment != null && seen.add(spread.getName())) {
                    count(fragment.getSelectionSet(), fragments, seen, counts);
                }
            }
        }
    }
}
