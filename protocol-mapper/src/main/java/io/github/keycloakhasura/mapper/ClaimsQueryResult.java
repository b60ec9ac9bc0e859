package io.github.keycloakhasura.mapper;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a claims query's answer (Hasura's GraphQL response) into session variable values. Pure. A path that is
 * missing or null leaves its variable out (a user without a row has no plan); a scalar becomes its text, a list of
 * scalars a Postgres array literal (as Hasura takes lists); GraphQL errors, no {@code data}, or a path that ends on an
 * object or a list of lists fail the whole query (the map does not fit the query: never a guess).
 */
public final class ClaimsQueryResult {

    private static final int MAX_DETAIL = 300;

    private ClaimsQueryResult() {
    }

    /**
     * @return session variable name to value, in the map's order; only the variables whose path has a value
     * @throws ClaimsQueryFailure when the answer is an error or does not fit the map
     */
    public static Map<String, String> values(ClaimsQueryOptions options, JsonNode answer) throws ClaimsQueryFailure {
        if (answer == null || !answer.isObject()) {
            throw new ClaimsQueryFailure("Hasura's answer is not a GraphQL response");
        }
        JsonNode errors = answer.get("errors");
        if (errors != null && !errors.isNull() && !(errors.isArray() && errors.isEmpty())) {
            throw new ClaimsQueryFailure("Hasura answered with GraphQL errors",
                    truncate(errors.path(0).path("message").asText(errors.toString())));
        }
        JsonNode data = answer.get("data");
        if (data == null || !data.isObject()) {
            throw new ClaimsQueryFailure("Hasura's answer has no data");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (ClaimsQueryOptions.Mapping mapping : options.mappings()) {
            JsonNode node = walk(data, mapping.segments());
            String value = value(mapping, node);
            if (value != null) {
                values.put(mapping.variable(), value);
            }
        }
        return Collections.unmodifiableMap(values);
    }

    private static JsonNode walk(JsonNode data, List<String> segments) {
        JsonNode node = data;
        for (String segment : segments) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (node.isArray() && Character.isDigit(segment.charAt(0))) {
                node = node.get(Integer.parseInt(segment));
            } else if (node.isObject()) {
                node = node.get(segment);
            } else {
                return null;
            }
        }
        return node;
    }

    private static String value(ClaimsQueryOptions.Mapping mapping, JsonNode node) throws ClaimsQueryFailure {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                if (!item.isNull() && !item.isValueNode()) {
                    throw notAValue(mapping, "a list of objects or lists");
                }
                items.add(item.isNull() ? null : item.asText());
            }
            return PostgresArrayLiteral.of(items);
        }
        throw notAValue(mapping, "an object");
    }

    private static ClaimsQueryFailure notAValue(ClaimsQueryOptions.Mapping mapping, String what) {
        return new ClaimsQueryFailure("Claims query path \"" + mapping.path() + "\" is " + what
                + ", not a value for " + mapping.variable());
    }

    private static String truncate(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "…";
    }
}
