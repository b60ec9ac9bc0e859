package io.github.keycloakhasura.graphql.capability;

import graphql.schema.DataFetchingEnvironment;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.PendingActionInput;

import java.util.Map;

/** Arguments several capabilities read the same way. */
public final class Arguments {

    private Arguments() {
    }

    /** A login's input for pending required actions: newPassword, acceptTerms, profile (an object). */
    public static PendingActionInput pending(DataFetchingEnvironment env) {
        Object profile = env.getArgument("profile");
        if (profile != null && !(profile instanceof Map<?, ?>)) {
            throw GraphqlException.badInput("profile must be an object: {attribute: value or [values]}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) profile;
        return new PendingActionInput(env.getArgument("newPassword"), Boolean.TRUE.equals(env.getArgument("acceptTerms")), attributes);
    }
}
