package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.json.Json;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;

import java.util.Map;

/** The Hasura claims object in a token's claims, whichever claim name and format the mapper used. */
final class TokenClaims {

    private TokenClaims() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> hasura(Map<String, Object> claims) {
        if (claims == null) {
            return null;
        }
        for (Object value : claims.values()) {
            if (value instanceof Map<?, ?> map && map.containsKey(HasuraMapperConfig.DEFAULT_ROLE)) {
                return (Map<String, Object>) map;
            }
            if (value instanceof String text && text.contains(HasuraMapperConfig.DEFAULT_ROLE)) {
                try {
                    Map<String, Object> parsed = Json.object(text);
                    if (parsed.containsKey(HasuraMapperConfig.DEFAULT_ROLE)) {
                        return parsed;
                    }
                } catch (Exception e) {
                    // not the claims
                }
            }
        }
        return null;
    }

    /** {@code x-hasura-default-role} of a token's claims, or null. */
    static String defaultRole(Map<String, Object> claims) {
        return defaultRoleOf(hasura(claims));
    }

    /** {@code x-hasura-default-role} of a Hasura claims object (session variables), or null. */
    static String defaultRoleOf(Map<String, Object> hasura) {
        Object role = hasura == null ? null : hasura.get(HasuraMapperConfig.DEFAULT_ROLE);
        return role == null ? null : role.toString();
    }
}
