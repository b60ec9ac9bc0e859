package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.compat.KeycloakCompat;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.mapper.HasuraReservedNames;
import io.github.keycloakhasura.pat.PatCredentials;
import io.github.keycloakhasura.trust.BearerTokens;
import io.github.keycloakhasura.trust.TrustBoundary;
import io.github.keycloakhasura.variables.LiveSessionVariables;
import io.github.keycloakhasura.variables.SessionVariables;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /realms/{realm}/hasura/webhook} (GET: the client's headers as this request's; POST:
 * {@code {"headers": {...}, "request": {...}}}): Hasura's auth webhook. The bearer token's session variables come from
 * {@link LiveSessionVariables}, the procedure {@code whoami} uses too; this class turns each {@link SessionVariables}
 * kind into its HTTP answer.
 */
final class WebhookEndpoint {

    /** The webhook's error when the mapper's claims query failed under on-failure "closed" (503). */
    static final String CLAIMS_UNAVAILABLE = "claims_unavailable";

    /** The header that picks the active organization among the user's current ones (checked live, like roles). */
    static final String ORG_ID_HEADER = "X-Hasura-Org-Id";

    static final String ROLE_HEADER = "X-Hasura-Role";

    private final KeycloakSession session;
    private final HasuraEndpointsConfig config;
    private final TrustBoundary trust;

    WebhookEndpoint(KeycloakSession session, HasuraEndpointsConfig config, TrustBoundary trust) {
        this.session = session;
        this.config = config;
        this.trust = trust;
    }

    /** POST mode: the client's headers from the body, names lower-cased. */
    Response answer(Map<String, Object> body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null && body.get("headers") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.put(k.toString().toLowerCase(Locale.ROOT), v.toString());
                }
            });
        }
        return answer(headers.get("authorization"), headers.get("x-hasura-role"), headers.get(HasuraMapperConfig.ORG_ID));
    }

    Response answer(String authorization, String requestedRole, String requestedOrganization) {
        if (authorization == null || authorization.isBlank()) {
            if (config.webhookUnauthenticatedRole() != null) {
                return noStore(Map.of(ROLE_HEADER, config.webhookUnauthenticatedRole()));
            }
            return unauthorized("No bearer token.");
        }
        String token = BearerTokens.token(authorization);
        if (token == null) {
            return unauthorized("The Authorization header must be 'Bearer <access token>'.");
        }
        if (PatCredentials.isToken(token)) {
            try {
                // No expiry in the answer: Hasura then asks again on every request, so a revoked token is refused at once.
                return answer(PatWebhook.variables(session, trust, token), requestedRole, null);
            } catch (HasuraRequestException e) {
                return e.toResponse();
            }
        }
        AuthResult auth = BearerTokens.live(session, token);
        if (auth == null) {
            return unauthorized("Invalid, expired or revoked token, or the session has ended.");
        }
        String refusal = BearerTokens.refusal(trust, auth);
        if (refusal != null) {
            return unauthorized(refusal);
        }
        SessionVariables variables = LiveSessionVariables.of(session, KeycloakCompat.user(auth), KeycloakCompat.session(auth),
                KeycloakCompat.client(auth), KeycloakCompat.token(auth), requestedOrganization);
        return answer(variables, requestedRole, WebhookExpiry.expires(KeycloakCompat.token(auth)));
    }

    /** Each kind's HTTP answer. */
    private static Response answer(SessionVariables variables, String requestedRole, String expires) {
        if (variables instanceof SessionVariables.Variables found) {
            return answer(found.claims(), requestedRole, expires);
        }
        return refusal(variables).toResponse();
    }

    /** The refusal for a kind without variables (status, error, description). */
    static HasuraRequestException refusal(SessionVariables variables) {
        if (variables instanceof SessionVariables.InvalidConfig invalid) {
            return HasuraRequestException.invalidMapperConfig(invalid.reason());
        } else if (variables instanceof SessionVariables.Unavailable unavailable) {
            // The claims query failed under "closed": no answer Hasura could take as the user's session variables.
            return new HasuraRequestException(Response.Status.SERVICE_UNAVAILABLE, CLAIMS_UNAVAILABLE, unavailable.reason());
        } else if (variables instanceof SessionVariables.NotMember notMember) {
            return unauthorizedRefusal("Not a member of organization '" + notMember.organizationId() + "'.");
        } else if (variables instanceof SessionVariables.SessionEnded) {
            return unauthorizedRefusal("The token's client session has ended.");
        } else if (variables instanceof SessionVariables.NoMapper) {
            // No defaults: without the client's own mapper there is no rule saying which roles Hasura may see.
            return unauthorizedRefusal("The token's client has no Hasura claims mapper.");
        } else if (variables instanceof SessionVariables.NoRole) {
            return unauthorizedRefusal(NO_ROLE);
        }
        throw new IllegalArgumentException("session variables, not a refusal: " + variables);
    }

    private static final String NO_ROLE = "This user has no Hasura role that may be issued.";

    /** The answer for computed {@code claims}: the requested (or default) role if allowed, the other variables. */
    private static Response answer(Map<String, Object> claims, String requestedRole, String expires) {
        @SuppressWarnings("unchecked")
        List<String> allowed = (List<String>) claims.get(HasuraMapperConfig.ALLOWED_ROLES);
        if (allowed == null) {
            return unauthorized(NO_ROLE);
        }
        String role = requestedRole == null || requestedRole.isBlank()
                ? (String) claims.get(HasuraMapperConfig.DEFAULT_ROLE) : requestedRole.trim();
        if (!allowed.contains(role)) {
            return unauthorized("Role '" + role + "' is not allowed for this user.");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        claims.forEach((name, value) -> {
            // Hasura reads names case-insensitively: nothing but the checked role below may name a role.
            if (!HasuraReservedNames.decidesRole(name)) {
                variables.put(headerCase(name), String.valueOf(value));
            }
        });
        // Hasura caches the answer until this body field says (it reads Expires/Cache-Control from the JSON, not
        // from the HTTP headers): never beyond the token's own expiry.
        if (expires != null) {
            variables.put(WebhookExpiry.FIELD, expires);
        }
        // Written last: the role checked against the allowed roles is the one Hasura gets, whatever came before.
        variables.remove(ROLE_HEADER);
        variables.put(ROLE_HEADER, role);
        return noStore(variables);
    }

    /** {@code x-hasura-user-id} → {@code X-Hasura-User-Id}. */
    static String headerCase(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            sb.append(upper ? Character.toUpperCase(c) : c);
            upper = c == '-';
        }
        return sb.toString();
    }

    private static Response noStore(Object entity) {
        return Response.ok(entity, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static Response unauthorized(String description) {
        return unauthorizedRefusal(description).toResponse();
    }

    private static HasuraRequestException unauthorizedRefusal(String description) {
        return new HasuraRequestException(Response.Status.UNAUTHORIZED, "unauthorized", description);
    }
}
