package io.github.keycloakhasura.graphql.api;

import io.github.keycloakhasura.variables.SessionVariables;

import java.util.Map;

/**
 * GraphQL's reading of a live token's {@link SessionVariables} (the procedure the Hasura webhook answers from too):
 * the variables, none (null: no Hasura mapper, no role that may be issued, the client session ended), or an error
 * ({@code INVALID_MAPPER_CONFIG}, {@code CLAIMS_UNAVAILABLE}).
 */
public final class HasuraVariables {

    private HasuraVariables() {
    }

    /** The session variables, or null when there are none; a GraphqlException for a kind that is an error. */
    public static Map<String, Object> claimsOrNull(SessionVariables variables) {
        if (variables instanceof SessionVariables.Variables found) {
            return found.claims();
        } else if (variables instanceof SessionVariables.InvalidConfig invalid) {
            throw new GraphqlException(ErrorCode.INVALID_MAPPER_CONFIG, invalidConfigMessage(invalid.clientId(), invalid.reason()));
        } else if (variables instanceof SessionVariables.Unavailable unavailable) {
            throw new GraphqlException(ErrorCode.CLAIMS_UNAVAILABLE, unavailable.reason());
        }
        return null;
    }

    /** The message of INVALID_MAPPER_CONFIG for the Hasura mapper of {@code clientId}. */
    public static String invalidConfigMessage(String clientId, String reason) {
        return "The Hasura claims mapper of client '" + clientId + "' has invalid options, so no Hasura role can be computed: "
                + reason;
    }
}
