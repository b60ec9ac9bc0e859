package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.mapper.HasuraMapperConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hasura DDN's {@code AuthConfig} metadata object (version {@code v3}, the version DDN's docs describe as current) for
 * this realm: JWT mode verifying tokens with the realm's keys, or webhook mode calling this extension's webhook.
 */
final class DdnAuthConfig {

    static final String VERSION = "v3";
    /** Headers DDN forwards to the webhook (POST body): the token, and the role a caller asks for. */
    static final List<String> FORWARDED_HEADERS = List.of("Authorization", "X-Hasura-Role");

    private DdnAuthConfig() {
    }

    /** JWT mode: DDN checks signature (keys from {@code jwkUrl}), issuer and audience itself, then reads the claims. */
    static Map<String, Object> jwt(JwtVerification verification) {
        Map<String, Object> namespace = new LinkedHashMap<>();
        namespace.put("claimsFormat", claimsFormat(verification.mapper().format()));
        namespace.put("location", jsonPointer(verification.mapper().namespace()));
        Map<String, Object> jwt = new LinkedHashMap<>();
        jwt.put("claimsConfig", Map.of("namespace", namespace));
        jwt.put("tokenLocation", Map.of("type", "BearerAuthorization"));
        jwt.put("key", Map.of("jwkFromUrl", verification.jwkUrl()));
        jwt.put("issuer", verification.issuer());
        if (!verification.audiences().isEmpty()) {
            jwt.put("audience", verification.audiences());
        }
        return authConfig(Map.of("jwt", jwt));
    }

    /** Webhook mode: DDN POSTs the caller's forwarded headers as {@code {"headers": {...}}} to {@code webhookUrl}. */
    static Map<String, Object> webhook(String webhookUrl) {
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("url", Map.of("value", webhookUrl));
        webhook.put("method", "POST");
        webhook.put("customHeadersConfig", Map.of(
                "body", Map.of("headers", Map.of("forward", FORWARDED_HEADERS)),
                "headers", Map.of("additional", Map.of())));
        return authConfig(Map.of("webhook", webhook));
    }

    /** DDN spells the mapper's {@code json} / {@code stringified_json} as {@code Json} / {@code StringifiedJson}. */
    static String claimsFormat(HasuraMapperConfig.Format format) {
        return switch (format) {
            case JSON -> "Json";
            case STRINGIFIED_JSON -> "StringifiedJson";
        };
    }

    /** The RFC 6901 JSON pointer to a top-level member: {@code ~} → {@code ~0}, then {@code /} → {@code ~1}. */
    static String jsonPointer(String member) {
        return "/" + member.replace("~", "~0").replace("/", "~1");
    }

    private static Map<String, Object> authConfig(Map<String, Object> mode) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("kind", "AuthConfig");
        config.put("version", VERSION);
        config.put("definition", Map.of("mode", mode));
        return config;
    }
}
