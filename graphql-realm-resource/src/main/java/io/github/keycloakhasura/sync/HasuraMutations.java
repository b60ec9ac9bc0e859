package io.github.keycloakhasura.sync;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.json.Json;

/**
 * The one GraphQL mutation each outbox entry becomes (Hasura's generated root fields of {@code users} and
 * {@code organization_members}, names fixed by issue 24), and
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
    /** The member's row first (same upsert as a user change), then the membership; a re-join clears {@code deleted_at}. */
    static final String ORG_JOIN = "mutation KeycloakOrganizationJoin($user: users_insert_input!,"
            + " $member: organization_members_insert_input!) {"
            + " insert_users_one(object: $user, on_conflict: {constraint: users_pkey, update_columns: ["
            + String.join(", ", UPDATE_COLUMNS) + "]}) { id }"
            + " insert_organization_members_one(object: $member, on_conflict: {constraint: organization_members_pkey,"
            + " update_columns: [deleted_at]}) { organization_id user_id } }";
    static final String ORG_SOFT_LEAVE = "mutation KeycloakOrganizationSoftLeave($organization_id: String!,"
            + " $user_id: String!, $deleted_at: timestamptz!) { update_organization_members_by_pk(pk_columns:"
            + " {organization_id: $organization_id, user_id: $user_id}, _set: {deleted_at: $deleted_at}) { user_id } }";
    static final String ORG_LEAVE = "mutation KeycloakOrganizationLeave($organization_id: String!, $user_id: String!) {"
            + " delete_organization_members_by_pk(organization_id: $organization_id, user_id: $user_id) { user_id } }";

    private HasuraMutations() {
    }

    /** The JSON body of the POST for one entry. */
    public static String body(Change.Kind kind, String userId, String payload, long changedAtMillis,
                              SyncSettings.DeleteMode deleteMode) {
        Map<String, Object> request = new LinkedHashMap<>();
        Map<String, Object> variables = new LinkedHashMap<>();
        switch (kind) {
            case UPSERT -> {
                request.put("query", UPSERT);
                variables.put("user", UserSnapshot.fromJson(payload).columns());
            }
            case DELETE -> {
                variables.put("id", userId);
                if (deleteMode == SyncSettings.DeleteMode.HARD) {
                    request.put("query", HARD_DELETE);
                } else {
                    request.put("query", SOFT_DELETE);
                    variables.put("deleted_at", Instant.ofEpochMilli(changedAtMillis).toString());
                }
            }
            case ORG_JOIN -> {
                Membership m = Membership.fromJson(payload);
                if (m.user() == null || !userId.equals(m.user().id())) {
                    throw new IllegalArgumentException("a join's payload carries the member's row");
                }
                request.put("query", ORG_JOIN);
                variables.put("user", m.user().columns());
                Map<String, Object> member = new LinkedHashMap<>();
                member.put("organization_id", m.organizationId());
                member.put("user_id", userId);
                member.put("deleted_at", null);
                variables.put("member", member);
            }
            case ORG_LEAVE -> {
                Membership m = Membership.fromJson(payload);
                variables.put("organization_id", m.organizationId());
                variables.put("user_id", userId);
                if (deleteMode == SyncSettings.DeleteMode.HARD) {
                    request.put("query", ORG_LEAVE);
                } else {
                    request.put("query", ORG_SOFT_LEAVE);
                    variables.put("deleted_at", Instant.ofEpochMilli(changedAtMillis).toString());
                }
            }
            default -> throw new IllegalArgumentException("unknown change " + kind);
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
