package io.github.keycloakhasura.it.graphql;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** RFC 6238 codes for the tests, computed independently of Keycloak from a base32 secret. */
public final class TotpCodes {

    private TotpCodes() {
    }

    /** The code of the time step {@code offset} steps away from now. */
    static String code(String base32Secret, String algorithm, int digits, int period, int offset) {
        long step = System.currentTimeMillis() / 1000 / period + offset;
        String mac = switch (algorithm.toUpperCase(Locale.ROOT).replace("-", "")) {
            case "HMACSHA256", "SHA256" -> "HmacSHA256";
            case "HMACSHA512", "SHA512" -> "HmacSHA512";
            default -> "HmacSHA1";
        };
        try {
            Mac hmac = Mac.getInstance(mac);
            hmac.init(new SecretKeySpec(base32(base32Secret), mac));
            byte[] hash = hmac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offsetBits = hash[hash.length - 1] & 0xf;
            int binary = ((hash[offsetBits] & 0x7f) << 24) | ((hash[offsetBits + 1] & 0xff) << 16)
                    | ((hash[offsetBits + 2] & 0xff) << 8) | (hash[offsetBits + 3] & 0xff);
            int code = (int) (binary % (long) Math.pow(10, digits));
            return String.format("%0" + digits + "d", code);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String code(String base32Secret, int offset) {
        return code(base32Secret, "SHA1", 6, 30, offset);
    }

    /** Waits while the current time step ends within {@code margin} seconds, so codes computed now stay in their step. */
    static void awayFromStepEdge(int period, int margin) {
        while (period - (System.currentTimeMillis() / 1000) % period <= margin) {
            Hostile.sleep(250);
        }
    }

    static byte[] base32(String text) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : text.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT).toCharArray()) {
            int value = alphabet.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("not base32: " + text);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    /** The query parameters of an otpauth:// URI. */
    static Map<String, String> uriParameters(String uri) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : URI.create(uri).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
