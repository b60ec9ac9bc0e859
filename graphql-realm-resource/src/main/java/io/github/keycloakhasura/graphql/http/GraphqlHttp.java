package io.github.keycloakhasura.graphql.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.graphql.engine.GraphqlRequest;
import io.github.keycloakhasura.json.Json;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GraphQL over HTTP, the transport rules only (no Keycloak, no graphql-java): which requests are accepted, how
 * their body or query string becomes a {@link GraphqlRequest}, which media type the answer has. Every refusal is a
 * {@link Problem} carrying the HTTP status.
 */
public final class GraphqlHttp {

    public static final String APPLICATION_JSON = "application/json";
    public static final String GRAPHQL_RESPONSE_JSON = "application/graphql-response+json";

    private GraphqlHttp() {
    }

    /** A request refused at the HTTP level. {@code allow} is set for 405. */
    public static final class Problem extends RuntimeException {
        private final int status;
        private final String allow;

        public Problem(int status, String message) {
            this(status, message, null);
        }

        public Problem(int status, String message, String allow) {
            super(message, null, false, false);
            this.status = status;
            this.allow = allow;
        }

        public int status() {
            return status;
        }

        public String allow() {
            return allow;
        }
    }

    /**
     * POST bodies must be {@code application/json} (any charset parameter must be UTF-8). Everything else is 415:
     * in particular form-encoded, multipart and text bodies, which a browser can send cross-site without a
     * preflight, so the endpoint cannot be driven by CSRF.
     */
    public static void requireJsonBody(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            throw new Problem(415, "Content-Type must be application/json");
        }
        String[] parts = contentType.split(";", -1);
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(APPLICATION_JSON)) {
            throw new Problem(415, "Content-Type must be application/json, not " + parts[0].trim());
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].trim().equalsIgnoreCase("charset") && param.length == 2
                    && !param[1].trim().replace("\"", "").equalsIgnoreCase("utf-8")) {
                throw new Problem(415, "Only UTF-8 request bodies are accepted");
            }
        }
    }

    /**
     * The response media type for an {@code Accept} header: {@code application/graphql-response+json} when the
     * client lists it, otherwise {@code application/json} (also when there is no Accept header, as Hasura and
     * older clients send), or 406 when neither is acceptable.
     */
    public static String responseMediaType(String accept) {
        if (accept == null || accept.isBlank()) {
            return APPLICATION_JSON;
        }
        boolean graphql = false;
        boolean json = false;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";", -1);
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            if (quality(parts) <= 0) {
                continue;
            }
            switch (type) {
                case GRAPHQL_RESPONSE_JSON -> graphql = true;
                case APPLICATION_JSON, "application/*", "*/*", "*" -> json = true;
                default -> {
                }
            }
        }
        if (graphql) {
            return GRAPHQL_RESPONSE_JSON;
        }
        if (json) {
            return APPLICATION_JSON;
        }
        throw new Problem(406, "Accept must allow application/graphql-response+json or application/json");
    }

    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param[0].trim().equalsIgnoreCase("q") && param.length == 2) {
                try {
                    return Double.parseDouble(param[1].trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /** A POST body: a JSON object with {@code query}, optional {@code operationName}, {@code variables}, {@code extensions}. */
    public static GraphqlRequest parseBody(byte[] body) {
        if (body == null || body.length == 0) {
            throw new Problem(400, "The request body is empty; send a JSON object with a query");
        }
        JsonNode root;
        try {
            root = Json.tree(body);
        } catch (StreamConstraintsException e) {
            throw new Problem(400, "The request body exceeds a JSON limit (nesting deeper than " + Json.MAX_DEPTH
                    + " or a number longer than " + Json.MAX_NUMBER_LENGTH + " digits)");
        } catch (IOException e) {
            throw new Problem(400, "The request body is not valid JSON");
        }
        if (root != null && root.isArray()) {
            // Batching would let one HTTP request carry many logins; GraphQL over HTTP does not define it either.
            throw new Problem(400, "Batched requests (a JSON array) are not supported; send one operation per request");
        }
        if (root == null || !root.isObject()) {
            throw new Problem(400, "The request body must be a JSON object with a query");
        }
        JsonNode query = root.get("query");
        if (query == null || query.isNull()) {
            throw new Problem(400, "The request has no query");
        }
        if (!query.isTextual() || query.asText().isBlank()) {
            throw new Problem(400, "query must be a non-empty string");
        }
        String operationName = optionalString(root.get("operationName"), "operationName");
        JsonNode variables = root.get("variables");
        if (variables != null && !variables.isNull() && !variables.isObject()) {
            throw new Problem(400, "variables must be a JSON object or null");
        }
        JsonNode extensions = root.get("extensions");
        if (extensions != null && !extensions.isNull() && !extensions.isObject()) {
            throw new Problem(400, "extensions must be a JSON object or null");
        }
        return new GraphqlRequest(query.asText(), operationName,
                variables == null || variables.isNull() ? Map.of() : variables(variables));
    }

    private static Map<String, Object> variables(JsonNode variables) {
        try {
            return Json.object(variables);
        } catch (IOException e) {
            throw new Problem(400, "variables could not be read");
        }
    }

    /** A GET request's parameters: {@code query}, optional {@code operationName} and {@code variables} (JSON text). */
    public static GraphqlRequest parseQueryParameters(Map<String, List<String>> parameters) {
        String query = single(parameters, "query");
        if (query == null || query.isBlank()) {
            throw new Problem(400, "The request has no query parameter");
        }
        String operationName = single(parameters, "operationName");
        String variables = single(parameters, "variables");
        Map<String, Object> parsed = Map.of();
        if (variables != null && !variables.isBlank() && !variables.trim().equals("null")) {
            try {
                JsonNode node = Json.tree(variables);
                if (node == null || !node.isObject()) {
                    throw new Problem(400, "variables must be a JSON object");
                }
                parsed = variables(node);
            } catch (StreamConstraintsException e) {
                throw new Problem(400, "variables exceeds a JSON limit (nesting deeper than " + Json.MAX_DEPTH
                        + " or a number longer than " + Json.MAX_NUMBER_LENGTH + " digits)");
            } catch (JsonProcessingException e) {
                throw new Problem(400, "variables is not valid JSON");
            }
        }
        return new GraphqlRequest(query, operationName == null || operationName.isBlank() ? null : operationName, parsed);
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new Problem(400, "The " + name + " parameter is repeated");
        }
        return values.get(0);
    }

    private static String optionalString(JsonNode node, String name) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Problem(400, name + " must be a string or null");
        }
        return node.asText().isBlank() ? null : node.asText();
    }
}
