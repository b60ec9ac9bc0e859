package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The requests of {@link HasuraOrganizationTenancyPropertyIT} and the reading of their answers. */
final class TenancyRequests {

    private TenancyRequests() {
    }

    static Http.Response webhookAs(HasuraRealm realm, String bearer, String role, String orgId, boolean post) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + bearer);
        if (role != null) {
            headers.put("X-Hasura-Role", role);
        }
        if (orgId != null) {
            headers.put("X-Hasura-Org-Id", orgId);
        }
        if (post) {
            return Http.json("POST", realm.url("/hasura/webhook"), Map.of("headers", headers, "request", Map.of()), null);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(realm.url("/hasura/webhook"))).GET();
        headers.forEach(b::header);
        return Http.send(b);
    }

    /** The token's session variables but the role names, by lower-case name. */
    static Map<String, String> variables(JsonNode claims) {
        Map<String, String> vars = new LinkedHashMap<>();
        claims.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("x-hasura-allowed-roles") && !e.getKey().equals("x-hasura-default-role")) {
                vars.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText());
            }
        });
        return vars;
    }

    static Map<String, String> answerVariables(JsonNode body) {
        Map<String, String> vars = new LinkedHashMap<>();
        body.fields().forEachRemaining(e -> {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (!name.equals("x-hasura-role") && !name.equals("expires")) {
                vars.put(name, e.getValue().asText());
            }
        });
        return vars;
    }

    /** The ids of a Hasura array literal {@code {a,b}}, which it must be. */
    static Set<String> ids(String literal) {
        assertTrue(literal.matches("\\{[^{}\"]*}"), "not an array literal: " + literal);
        Set<String> ids = new TreeSet<>();
        for (String id : literal.substring(1, literal.length() - 1).split(",")) {
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    static Map<String, Object> vars(Object... pairs) {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            vars.put((String) pairs[i], pairs[i + 1]);
        }
        return vars;
    }
}
