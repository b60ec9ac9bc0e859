package io.github.keycloakhasura.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The project's JSON: one strict, bounded Jackson mapper (duplicate keys and trailing garbage are errors, nesting and
 * number lengths are bounded), configured once, thread-safe, never changed. Used for request bodies, token payloads
 * and responses alike.
 */
public final class Json {

    /**
     * Deepest JSON nesting accepted (a request body, its {@code variables}, their values). No argument of the schema
     * takes more than a string, so this only stops junk early; the body size limit bounds the rest.
     */
    public static final int MAX_DEPTH = 32;

    /** Longest number literal accepted (Int variables need 11 characters). */
    public static final int MAX_NUMBER_LENGTH = 100;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    /** Reads JSON objects as ordered maps (made once: no type resolution per call). */
    private static final ObjectReader MAP_READER = MAPPER.readerFor(MAP);

    private Json() {
    }

    /** The mapper itself, for streaming (its factory) and for values the helpers below do not cover. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode tree(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    public static JsonNode tree(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /** A JSON object as an ordered map. */
    public static Map<String, Object> object(byte[] json) throws IOException {
        return MAP_READER.readValue(json);
    }

    public static Map<String, Object> object(String json) throws IOException {
        return MAP_READER.readValue(json);
    }

    public static Map<String, Object> object(JsonNode json) throws IOException {
        return MAP_READER.readValue(json);
    }
}
