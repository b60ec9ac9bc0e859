package io.github.keycloakhasura.sync;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.json.Json;

/**
 * The payload of an organization membership entry: the organization, and for a join the member's {@code users} row as
 * it was then ({@link UserSnapshot}; null for a leave). A join carries the row so that its mutation can upsert it first:
 * the membership's foreign key then holds even for a user whose own create has not reached Hasura (created before sync
 * was on, or in the same transaction as the join).
 */
public record Membership(String organizationId, UserSnapshot user) {

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("organization_id", organizationId);
        m.put("user", user == null ? null : user.columns());
        try {
            return Json.mapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Membership fromJson(String json) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            JsonNode org = n == null ? null : n.get("organization_id");
            if (org == null || !org.isTextual()) {
                throw new IllegalArgumentException("not a membership: no organization_id");
            }
            JsonNode user = n.get("user");
            return new Membership(org.asText(),
                    user == null || user.isNull() ? null : UserSnapshot.fromJson(user.toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a membership", e);
        }
    }
}
