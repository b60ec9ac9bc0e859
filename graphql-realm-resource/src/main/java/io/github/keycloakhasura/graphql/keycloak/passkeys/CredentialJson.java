package io.github.keycloakhasura.graphql.keycloak.passkeys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;

import java.io.IOException;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of a {@code PublicKeyCredential} as browsers serialize it ({@code toJSON()}: binary fields base64url), read
 * for what the checks need. Anything missing or undecodable is INVALID_CREDENTIAL with a plain message.
 */
public final class CredentialJson {

    public static final String INVALID = "Invalid passkey credential: ";
    private static final int MAX_CHALLENGE = 128;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> credential;
    private final Map<?, ?> response;

    private CredentialJson(Map<String, Object> credential) {
        this.credential = credential;
        if (credential == null || !(credential.get("response") instanceof Map<?, ?> r)) {
            throw invalid("response is missing");
        }
        if (credential.get("type") != null && !"public-key".equals(credential.get("type"))) {
            throw invalid("type must be public-key");
        }
        this.response = r;
    }

    /** An assertion or attestation argument: a JSON object (the JSON scalar gives maps) or its text; else INVALID_CREDENTIAL. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        if (value instanceof String text) {
            return parse(text);
        }
        throw invalid("credential must be the JSON object of the PublicKeyCredential");
    }

    public static CredentialJson of(Map<String, Object> credential) {
        return new CredentialJson(credential);
    }

    /** A credential sent as a JSON string ({@code JSON.stringify(credential)}). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String text) {
        try {
            Object value = JSON.readValue(text, Object.class);
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (IOException e) {
            // answered below
        }
        throw invalid("credential must be the JSON object of the PublicKeyCredential");
    }

    public static GraphqlException invalid(String why) {
        return new GraphqlException(ErrorCode.INVALID_CREDENTIAL, INVALID + why);
    }

    /** webauthn4j's message (what failed), without the exception's class or stack. */
    public static String reason(RuntimeException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "verification failed" : "verification failed: " + message;
    }

    public byte[] rawId() {
        Object raw = credential.get("rawId") != null ? credential.get("rawId") : credential.get("id");
        return decode(raw, "rawId");
    }

    public byte[] clientDataJson() {
        return decode(response.get("clientDataJSON"), "response.clientDataJSON");
    }

    public byte[] field(String name) {
        return decode(response.get(name), "response." + name);
    }

    /** {@code response.userHandle}, or null when the authenticator sent none. */
    public byte[] userHandle() {
        Object handle = response.get("userHandle");
        return handle == null || "".equals(handle) ? null : decode(handle, "response.userHandle");
    }

    public String authenticatorAttachment() {
        return credential.get("authenticatorAttachment") instanceof String s ? s : null;
    }

    public Set<String> transports() {
        Set<String> transports = new HashSet<>();
        if (response.get("transports") instanceof List<?> list) {
            list.forEach(t -> transports.add(String.valueOf(t)));
        }
        return transports;
    }

    /** The challenge the client data names (base64url, as issued). */
    public String challenge() {
        JsonNode clientData;
        try {
            clientData = JSON.readTree(clientDataJson());
        } catch (IOException e) {
            throw invalid("clientDataJSON is not JSON");
        }
        String challenge = clientData == null ? null : clientData.path("challenge").asText(null);
        if (challenge == null || challenge.isEmpty() || challenge.length() > MAX_CHALLENGE) {
            throw invalid("clientDataJSON has no challenge");
        }
        return challenge;
    }

    private static byte[] decode(Object value, String name) {
        if (!(value instanceof String text) || text.isEmpty()) {
            throw invalid(name + " is missing");
        }
        try {
            return Base64.getUrlDecoder().decode(text.replace('+', '-').replace('/', '_').replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw invalid(name + " is not base64url");
        }
    }
}
