package io.github.keycloakhasura.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Base64;

/** Reads a compact JWS payload (no verification: tests that need verification use nimbus-jose-jwt). */
public final class Jwt {

    private Jwt() {
    }

    public static JsonNode payload(String token) {
        return part(token, 1);
    }

    public static JsonNode header(String token) {
        return part(token, 0);
    }

    private static JsonNode part(String token, int index) {
        String[] parts = token.split("\\.");
        try {
            return Http.JSON.readTree(Base64.getUrlDecoder().decode(parts[index]));
        } catch (IOException e) {
            throw new AssertionError("Not a JWT: " + token, e);
        }
    }
}
