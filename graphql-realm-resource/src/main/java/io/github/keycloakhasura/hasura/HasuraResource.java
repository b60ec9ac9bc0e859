package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.compat.KeycloakCompat;
import io.github.keycloakhasura.pat.PatCredentials;
import io.github.keycloakhasura.mapper.Elevation;
import io.github.keycloakhasura.mapper.ClaimsUnavailableException;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import io.github.keycloakhasura.mapper.HasuraReservedNames;
import io.github.keycloakhasura.mapper.HasuraSessionVariables;
import io.github.keycloakhasura.mapper.InvalidMapperConfigException;
import io.github.keycloakhasura.trust.BearerTokens;
import io.github.keycloakhasura.trust.TrustBoundary;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.crypto.KeyUse;
import org.keycloak.jose.jwk.JSONWebKeySet;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /realms/{realm}/hasura/…}: what a Hasura operator needs from Keycloak, computed from the realm itself.
 */
public class HasuraResource {

    private static final String ROLE_HEADER = "X-Hasura-Role";

    private final KeycloakSession session;
    private final HasuraEndpointsConfig config;
    private final RealmModel realm;
    private final TrustBoundary trust;

    public HasuraResource(KeycloakSession session, HasuraEndpointsConfig config, TrustBoundary trust) {
        this.session = session;
        this.config = config;
        this.trust = trust;
        this.realm = session.getContext().getRealm();
    }

    /**
     * The realm's active and passive signing keys (no encryption keys), cacheable for {@code jwks-max-age} seconds,
     * so Hasura refreshes them on a schedule and keeps accepting tokens signed by a key being rotated out.
     */
    @GET
    @Path("jwks")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwks() {
        JWK[] keys = session.keys().getKeysStream(realm)
                .filter(k -> k.getStatus().isEnabled() && k.getPublicKey() != null && KeyUse.SIG.equals(k.getUse()))
                .map(KeycloakCompat::toJwk)
                .filter(Objects::nonNull)
                .toArray(JWK[]::new);
        JSONWebKeySet set = new JSONWebKeySet();
        set.setKeys(keys);
        CacheControl cache = new CacheControl();
        cache.setNoTransform(false);
        cache.setMaxAge(config.jwksMaxAgeSeconds());
        return Response.ok(set).cacheControl(cache).build();
    }

    /** The exact {@code HASURA_GRAPHQL_JWT_SECRET} for this realm and client, read from the client's mapper. */
    @GET
    @Path("jwt-config")
    @Produces(MediaType.APPLICATION_JSON)
    public Response jwtConfig(@QueryParam("client_id") String clientIdParam,
                              @QueryParam(JwtVerification.ALLOW_NO_AUDIENCE) String allowNoAudience) {
        JwtVerification jwt;
        try {
            jwt = JwtVerification.of(session, realm, config, trust, clientIdParam, allowNoAudience);
        } catch (HasuraRequestException e) {
            return e.toResponse();
        }
        Map<String, Object> secret = new LinkedHashMap<>();
        secret.put("type", jwt.algorithm());
        secret.put("jwk_url", jwt.jwkUrl());
        secret.put("issuer", jwt.issuer());
        if (jwt.audiences().size() == 1) {
            secret.put("audience", jwt.audiences().get(0));
        } else if (!jwt.audiences().isEmpty()) {
            secret.put("audience", jwt.audiences());
        }
        secret.put("claims_namespace", jwt.mapper().namespace());
        secret.put("claims_format", jwt.mapper().format().value);
        return Response.ok(secret).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    /**
     * Hasura DDN's {@code AuthConfig} for this realm and client: JWT mode (default) or {@code ?mode=webhook};
     * JSON, or YAML with {@code ?format=yaml}.
     */
    @GET
    @Path("ddn-auth-config")
    public Response ddnAuthConfig(@QueryParam("client_id") String clientId, @QueryParam("mode") String mode,
                                  @QueryParam("format") String format,
                                  @QueryParam(JwtVerification.ALLOW_NO_AUDIENCE) String allowNoAudience) {
        return new DdnAuthConfigEndpoint(session, realm, config, trust).answer(clientId, mode, format, allowNoAudience);
    }

    /** Hasura's auth webhook, GET mode: the client's headers arrive as this request's headers. */
    @GET
    @Path("webhook")
    @Produces(MediaType.APPLICATION_JSON)
    public Response webhookGet(@jakarta.ws.rs.core.Context HttpHeaders headers) {
        return OutageAnswer.guard("webhook", () -> webhook(headers.getHeaderString(HttpHeaders.AUTHORIZATION),
                headers.getHeaderString("X-Hasura-Role"), headers.getHeaderString(ORG_ID_HEADER)));
    }

    /** Hasura's auth webhook, POST mode: {@code {"headers": {...}, "request": {...}}}. */
    @POST
    @Path("webhook")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response webhookPost(Map<String, Object> body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (body != null && body.get("headers") instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.put(k.toString().toLowerCase(Locale.ROOT), v.toString());
                }
            });
        }
        return OutageAnswer.guard("webhook", () -> webhook(headers.get("authorization"), headers.get("x-hasura-role"),
                headers.get(HasuraMapperConfig.ORG_ID)));
    }

    /** The webhook's error when the mapper's claims query failed under on-failure "closed" (503). */
    static final String CLAIMS_UNAVAILABLE = "claims_unavailable";

    /** The header that picks the active organization among the user's current ones (checked live, like roles). */
    static final String ORG_ID_HEADER = "X-Hasura-Org-Id";

    private Response webhook(String authorization, String requestedRole, String requestedOrganization) {
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
            Map<String, Object> claims;
            try {
                claims = PatWebhook.claims(session, trust, token);
            } catch (HasuraRequestException e) {
                return e.toResponse();
            }
            // No expiry in the answer: Hasura then asks again on every request, so a revoked token is refused at once.
            return answer(claims, requestedRole, null);
        }
        AuthResult auth = BearerTokens.live(session, token);
        if (auth == null) {
            return unauthorized("Invalid, expired or revoked token, or the session has ended.");
        }
        String refusal = BearerTokens.refusal(trust, auth);
        if (refusal != null) {
            return unauthorized(refusal);
        }
        ClientSessionContext context = BearerTokens.clientSessionContext(session, KeycloakCompat.session(auth),
                KeycloakCompat.client(auth), KeycloakCompat.token(auth));
        if (context == null) {
            return unauthorized("The token's client session has ended.");
        }
        Optional<HasuraMapperConfig> configured;
        try {
            configured = HasuraSessionVariables.config(context);
        } catch (InvalidMapperConfigException e) {
            return HasuraRequestException.invalidMapperConfig(e).toResponse();
        }
        if (configured.isEmpty()) {
            // No defaults: without the client's own mapper there is no rule saying which roles Hasura may see.
            return unauthorized("The token's client has no Hasura claims mapper.");
        }
        String organization = configured.get().organizations() && requestedOrganization != null
                && !requestedOrganization.isBlank() ? requestedOrganization.trim() : null;
        Map<String, Object> claims;
        try {
            claims = HasuraSessionVariables.forClientSession(configured.get(), session, KeycloakCompat.user(auth),
                    context, KeycloakCompat.token(auth).getScope(), organization,
                    Elevation.issuedAtIfIssuedElevated(KeycloakCompat.token(auth).getOtherClaims().get(configured.get().namespace()),
                            KeycloakCompat.token(auth).getIat()));
        } catch (ClaimsUnavailableException e) {
            // The claims query failed under "closed": no answer Hasura could take as the user's session variables.
            return error(Response.Status.SERVICE_UNAVAILABLE, CLAIMS_UNAVAILABLE, e.getMessage());
        }
        if (organization != null && !organization.equals(claims.get(HasuraMapperConfig.ORG_ID))) {
            return unauthorized("Not a member of organization '" + organization + "'.");
        }
        return answer(claims, requestedRole, WebhookExpiry.expires(KeycloakCompat.token(auth)));
    }

    /** The answer for computed {@code claims}: the requested (or default) role if allowed, the other variables. */
    private Response answer(Map<String, Object> claims, String requestedRole, String expires) {
        @SuppressWarnings("unchecked")
        List<String> allowed = (List<String>) claims.get(HasuraMapperConfig.ALLOWED_ROLES);
        if (allowed == null) {
            return unauthorized("This user has no Hasura role that may be issued.");
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
        return error(Response.Status.UNAUTHORIZED, "unauthorized", description);
    }

    private static Response error(Response.Status status, String error, String description) {
        return new HasuraRequestException(status, error, description).toResponse();
    }
}
