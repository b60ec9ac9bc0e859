package io.github.keycloakhasura.sync;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.json.Json;

/**
 * The one GraphQL mutation each outbox entry becomes (Hasura's generated root fields, names fixed by issue 24), and
 * how Hasura's answer is judged: delivered only on HTTP 2xx with a {@code data} object and no {@code errors}.
 */
public final class HasuraMutations {

    /** The columns an upsert overwrites ({@code id} is the key; {@code created_at} stays as first written). */
    public static final List<String> UPDATE_COLUMNS =
            List.of("username", "email", "email_verified", "first_name", "last_name", "enabled");

    static final String UPSERT = "mutation KeycloakUserUpsert($user: users_insert_input!) {"
            + " insert_users_one(object: $user, on_conflict: {constraint: users_pkey, update_columns: ["
            + String.join(", ", UPDATE_COLUMNS) + "]}) { id } }";
    static final String SOFT_DELETE = "mutation KeycloakUserSoftDelete($id: String!, $deleted_at: timestamptz!) {"
            + " update_users_by_pk(pk_columns: {id: $id}, _set: {deleted_at: $deleted_at}) { id } }";
    static final String HARD_DELETE = "mutation KeycloakUserDelete($id: String!) { delete_users_by_pk(id: $id) { id } }";

    private HasuraMutations() {
    }

    /** The JSON body of the POST for one entry. */
    public static String body(Change.Kind kind, String userId, String payload, long changedAtMillis,
                              SyncSettings.DeleteMode deleteMode) {
        Map<String, Object> request = new LinkedHashMap<>();
        Map<String, Object> variables = new LinkedHashMap<>();
        if (kind == Change.Kind.UPSERT) {
            request.put("query", UPSERT);
            variables.put("user", UserSnapshot.fromJson(payload).columns());
        } else if (deleteMode == SyncSettings.DeleteMode.HARD) {
            request.put("query", HARD_DELETE);
            variables.put("id", userId);
        } else {
            request.put("query", SOFT_DELETE);
            variables.put("id", userId);
            variables.put("deleted_at", Instant.ofEpochMilli(changedAtMillis).toString());
        }
        request.put("variables", variables);
        try {
            return Json.mapper().writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Null when Hasura took the mutation, else why not (kept as the entry's last error). */
    public static String failure(int status, String responseBody) {
        if (status < 200 || status > 299) {
            return "HTTP " + status + ": " + abbreviate(responseBody);
        }
        JsonNode answer;
        try {
            answer = Json.mapper().readTree(responseBody == null ? "" : responseBody);
        } catch (JsonProcessingException e) {
            return "not JSON: " + abbreviate(responseBody);
        }
        if (answer == null || !answer.isObject()) {
            return "not a GraphQL answer: " + abbreviate(responseBody);
        }
        JsonNode errors = answer.get("errors");
        if (errors != null && !errors.isNull() && !(errors.isArray() && errors.isEmpty())) {
            return "GraphQL errors: " + abbreviate(errors.toString());
        }
        JsonNode data = answer.get("data");
        if (data == null || !data.isObject()) {
            return "no data: " + abbreviate(responseBody);
        }
        return null;
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
