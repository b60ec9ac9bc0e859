package io.github.keycloakhasura.graphql.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.RawJson;
import io.github.keycloakhasura.graphql.engine.fastlists.ResultObject;
import io.github.keycloakhasura.json.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Response bodies as JSON bytes: GraphQL results (written by walking them) and request-level error bodies. */
public final class ResponseWriter {

    private ResponseWriter() {
    }

    /** A request-level error body ({@code {"errors":[{"message":…,"extensions":{"code":…}}]}}). */
    public static byte[] errorBody(String message, ErrorCode code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("extensions", Map.of("code", code.name()));
        List<Object> errors = new ArrayList<>();
        errors.add(error);
        return write(Map.of("errors", errors));
    }

    /**
     * A response as JSON bytes: the same text as {@code Json.mapper().writeValueAsBytes(value)}, written by walking the maps,
     * lists and plain values of a GraphQL result straight into the generator (no serializer lookup per value: a page
     * of users has about 500 of them); anything else is left to Jackson.
     */
    public static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator generator = Json.mapper().getFactory().createGenerator(out)) {
            writeValue(generator, value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the GraphQL response", e);
        }
        return out.toByteArray();
    }

    private static void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String text) {
            generator.writeString(text);
        } else if (value instanceof Boolean bool) {
            generator.writeBoolean(bool);
        } else if (value instanceof Integer number) {
            generator.writeNumber(number);
        } else if (value instanceof Long number) {
            generator.writeNumber(number);
        } else if (value instanceof ResultObject object) {
            generator.writeStartObject();
            for (int i = 0; i < object.width(); i++) {
                generator.writeFieldName(object.jsonKey(i));
                writeValue(generator, object.value(i));
            }
            generator.writeEndObject();
        } else if (value instanceof Map<?, ?> map && allStringKeys(map)) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                generator.writeFieldName((String) entry.getKey());
                writeValue(generator, entry.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                writeValue(generator, item);
            }
            generator.writeEndArray();
        } else if (value instanceof RawJson raw) {
            generator.writeRawValue(raw.json());
        } else {
            Json.mapper().writeValue(generator, value);
        }
    }

    private static boolean allStringKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }
}
