package io.github.keycloakhasura.variables;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link LiveSessionVariables} found for a live token: its Hasura session variables, or why there are none. Plain
 * values (no Keycloak type), so the GraphQL ports can return it; the webhook turns each kind into its HTTP answer
 * ({@code hasura.WebhookEndpoint}), GraphQL into a value or an error ({@code graphql.api.HasuraVariables}).
 */
public sealed interface SessionVariables {

    /** The session variables (never empty: at least the allowed roles and the default role), in the mapper's order. */
    record Variables(Map<String, Object> claims) implements SessionVariables {
        public Variables {
            claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
        }
    }

    /** The token's client has no Hasura claims mapper: no rule says which roles Hasura may see. */
    record NoMapper() implements SessionVariables {
    }

    /** The user has no role that may be issued to Hasura. */
    record NoRole() implements SessionVariables {
    }

    /** The stored options of the client's Hasura mapper make no sense (a reserved name, two Hasura mappers, ...). */
    record InvalidConfig(String clientId, String reason) implements SessionVariables {
    }

    /** The token's client session has ended since Keycloak checked the token. */
    record SessionEnded() implements SessionVariables {
    }

    /** An organization was asked for ({@code X-Hasura-Org-Id}) and the user is not a member of it now. */
    record NotMember(String organizationId) implements SessionVariables {
    }

    /** The mapper's claims query failed under its {@code closed} policy: no answer may stand for the user's variables. */
    record Unavailable(String reason) implements SessionVariables {
    }
}
