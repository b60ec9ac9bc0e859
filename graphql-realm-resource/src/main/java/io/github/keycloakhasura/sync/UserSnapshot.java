package io.github.keycloakhasura.sync;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.json.Json;
import org.keycloak.models.UserModel;

/** A user's columns of the app's {@code users} table, as they were right after a change (names are Hasura's). */
public record UserSnapshot(String id, String username, String email, boolean emailVerified, String firstName,
                           String lastName, boolean enabled) {

    public static UserSnapshot of(UserModel user) {
        return new UserSnapshot(user.getId(), user.getUsername(), user.getEmail(), user.isEmailVerified(),
                user.getFirstName(), user.getLastName(), user.isEnabled());
    }

    /** The {@code users_insert_input} object: {@code id, username, email, email_verified, first_name, last_name, enabled}. */
    public Map<String, Object> columns() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("username", username);
        c.put("email", email);
        c.put("email_verified", emailVerified);
        c.put("first_name", firstName);
        c.put("last_name", lastName);
        c.put("enabled", enabled);
        return c;
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(columns());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static UserSnapshot fromJson(String json) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            return new UserSnapshot(text(n, "id"), text(n, "username"), text(n, "email"),
                    n.path("email_verified").asBoolean(), text(n, "first_name"), text(n, "last_name"),
                    n.path("enabled").asBoolean());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a user snapshot", e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
