package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Jwt;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The session variables Hasura resolves for a request in JWT mode ({@code Hasura.Server.Auth.JWT},
 * {@code Hasura.Session}): without a token the unauthorized role; with one, the role the client asks for in
 * {@code x-hasura-role} if it is among {@code x-hasura-allowed-roles} (otherwise Hasura refuses the request), else
 * {@code x-hasura-default-role}; plus the namespace's other {@code x-hasura-*} claims, strings as they are and
 * anything else as JSON text. The token's signature and lifetime are Keycloak's to check here: tokens come from it.
 */
record HasuraSession(Map<String, String> variables) {

    static final String NAMESPACE = "https://hasura.io/jwt/claims";

    /** HASURA_GRAPHQL_UNAUTHORIZED_ROLE in docker-compose.yml. */
    static HasuraSession anonymous() {
        return new HasuraSession(Map.of("x-hasura-role", "anonymous"));
    }

    /** Returns null where Hasura refuses the request (requested role not allowed, or no Hasura claims). */
    static HasuraSession fromAccessToken(String token, String requestedRole) {
        JsonNode claims = Jwt.payload(token).get(NAMESPACE);
        if (claims == null || !claims.isObject()) {
            return null;
        }
        String role = requestedRole != null ? requestedRole : claims.path("x-hasura-default-role").asText(null);
        boolean allowed = false;
        for (JsonNode r : claims.path("x-hasura-allowed-roles")) {
            allowed |= r.asText().equals(role);
        }
        if (role == null || !allowed) {
            return null;
        }
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("x-hasura-role", role);
        for (Iterator<Map.Entry<String, JsonNode>> it = claims.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith("x-hasura-") && !name.equals("x-hasura-allowed-roles") && !name.equals("x-hasura-default-role")) {
                vars.put(name, e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
            }
        }
        return new HasuraSession(vars);
    }
}
