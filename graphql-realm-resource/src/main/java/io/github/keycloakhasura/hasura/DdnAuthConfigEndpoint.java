package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.trust.TrustBoundary;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.Locale;
import java.util.Map;

/** {@code GET /realms/{realm}/hasura/ddn-auth-config?client_id=&mode=jwt|webhook&format=json|yaml&allowNoAudience=}. */
final class DdnAuthConfigEndpoint {

    static final MediaType YAML = new MediaType("application", "yaml", "UTF-8");

    private final KeycloakSession session;
    private final RealmModel realm;
    private final HasuraEndpointsConfig config;
    private final TrustBoundary trust;

    DdnAuthConfigEndpoint(KeycloakSession session, RealmModel realm, HasuraEndpointsConfig config, TrustBoundary trust) {
        this.session = session;
        this.realm = realm;
        this.config = config;
        this.trust = trust;
    }

    Response answer(String clientId, String mode, String format, String allowNoAudience) {
        try {
            boolean yaml = switch (option(format, "json")) {
                case "json" -> false;
                case "yaml" -> true;
                default -> throw invalid("format", format, "'json' (the default) or 'yaml'");
            };
            Map<String, Object> authConfig = switch (option(mode, "jwt")) {
                case "jwt" -> DdnAuthConfig.jwt(JwtVerification.of(session, realm, config, trust, clientId, allowNoAudience));
                case "webhook" -> {
                    JwtVerification.client(realm, config, trust, clientId);
                    yield DdnAuthConfig.webhook(JwtVerification.endpointUrl(session, realm, "webhook"));
                }
                default -> throw invalid("mode", mode, "'jwt' (the default) or 'webhook'");
            };
            Response.ResponseBuilder ok = yaml
                    ? Response.ok(toYaml(authConfig), YAML)
                    : Response.ok(authConfig, MediaType.APPLICATION_JSON_TYPE);
            return ok.header(HttpHeaders.CACHE_CONTROL, "no-store").build();
        } catch (HasuraRequestException e) {
            return e.toResponse();
        }
    }

    private static String option(String raw, String fallback) {
        return raw == null || raw.isBlank() ? fallback : raw.trim().toLowerCase(Locale.ROOT);
    }

    private static HasuraRequestException invalid(String name, String value, String allowed) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
        return new HasuraRequestException(Response.Status.BAD_REQUEST, "invalid_request",
                "Query parameter '" + name + "' must be " + allowed + ", not '" + shown + "'.");
    }

    /**
     * SnakeYAML (shipped by Keycloak 26.4 to 26.7 alike; Jackson's YAML module is not in 26.4), block style, every
     * scalar double-quoted and escaped by it: no value can turn into another type, a comment or a new key.
     */
    static String toYaml(Map<String, Object> document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setDefaultScalarStyle(DumperOptions.ScalarStyle.DOUBLE_QUOTED);
        options.setIndent(2);
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(options).dump(document);
    }
}
