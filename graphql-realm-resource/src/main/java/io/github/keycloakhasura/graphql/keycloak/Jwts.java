package io.github.keycloakhasura.graphql.keycloak;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import io.github.keycloakhasura.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Reading Keycloak's compact JWS tokens without verifying them (Keycloak verifies them; these only read what the API
 * returns or needs to pick a client), and with as little parsing as possible.
 */
final class Jwts {

    private Jwts() {
    }

    /** The claims of a compact JWS, decoded (the signature is checked elsewhere, or the token is our own). */
    static Map<String, Object> payload(String jwt) {
        try {
            return Json.object(payloadBytes(jwt));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a JWT payload");
        }
    }

    /** The payload of a compact JWS as JSON text: base64url-decoded, not parsed. */
    static String payloadJson(String jwt) {
        return new String(payloadBytes(jwt), StandardCharsets.UTF_8);
    }

    private static byte[] payloadBytes(String jwt) {
        int first = jwt.indexOf('.');
        int second = first < 0 ? -1 : jwt.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || jwt.indexOf('.', second + 1) >= 0) {
            throw new IllegalArgumentException("not a compact JWS");
        }
        return Base64.getUrlDecoder().decode(jwt.substring(first + 1, second));
    }

    /**
     * One top-level claim of a compact JWS (a string, a number or null), read with a streaming parser that stops
     * there: no map of all claims is built. Throws IllegalArgumentException for anything that is not a JWT.
     */
    static Object claim(String jwt, String name) {
        try (JsonParser parser = Json.mapper().getFactory().createParser(payloadBytes(jwt))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JWT payload");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == null) {
                    throw new IllegalArgumentException("not a JWT payload");
                }
                if (field.equals(name)) {
                    return switch (value) {
                        case VALUE_STRING -> parser.getText();
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
                        default -> null;
                    };
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JWT payload");
        }
    }
}
