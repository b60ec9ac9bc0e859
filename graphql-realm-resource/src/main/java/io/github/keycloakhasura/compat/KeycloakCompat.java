package io.github.keycloakhasura.compat;

import jakarta.ws.rs.ForbiddenException;
import org.keycloak.common.util.UriUtils;
import org.keycloak.crypto.KeyType;
import org.keycloak.crypto.KeyWrapper;
import org.keycloak.jose.jwk.JWK;
import org.keycloak.jose.jwk.JWKBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.utils.WebOriginsUtils;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.cors.Cors;
import org.keycloak.services.managers.AuthenticationManager.AuthResult;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;

/**
 * Every Keycloak call whose form differs between the supported releases (26.4.x to 26.7.x, see
 * {@link io.github.keycloakhasura.mapper.SupportedKeycloak}). The jars compile against 26.4 (the oldest); what was
 * renamed or added later is reached here, and only here:
 * <ul>
 *   <li>{@link AuthResult}: a class with {@code getUser()}… in 26.4; a record since 26.5, whose {@code user()}…
 *       accessors 26.4 lacks and whose getters are deprecated for removal. The getters exist in the whole range.</li>
 *   <li>{@code JWKSServerUtils.toJwk(KeyWrapper)}: 26.7 only. Built here with {@link JWKBuilder} exactly as every
 *       release's {@code JWKSServerUtils.getRealmJwks} does.</li>
 *   <li>{@code ErrorResponseException.getError()}: 26.7 only (resolved once below); before, the error code is the
 *       exception's message (both constructors pass it to {@code WebApplicationException(message, status)}).</li>
 *   <li>{@code Cors.checkAllowedOrigins(session, client)}: 26.7 only, and it refuses a foreign origin with
 *       {@link ForbiddenException}; 26.4 has {@code allowedOrigins(session, client)}, which only filters headers, and
 *       26.5 refuses at {@code add()} when asked to. One behaviour for all: {@link #checkAllowedOrigins}.</li>
 * </ul>
 */
public final class KeycloakCompat {

    /** {@code ErrorResponseException.getError()} when this Keycloak has it (26.7+), else null. Resolved once. */
    private static final MethodHandle GET_ERROR = findGetError();

    private KeycloakCompat() {
    }

    // ------------------------------------------------------------------------------------------------ AuthResult

    @SuppressWarnings("deprecation")
    public static UserModel user(AuthResult result) {
        return result.getUser();
    }

    @SuppressWarnings("deprecation")
    public static AccessToken token(AuthResult result) {
        return result.getToken();
    }

    @SuppressWarnings("deprecation")
    public static UserSessionModel session(AuthResult result) {
        return result.getSession();
    }

    @SuppressWarnings("deprecation")
    public static ClientModel client(AuthResult result) {
        return result.getClient();
    }

    // ------------------------------------------------------------------------------------------------ JWKS

    /** The public JWK of a key, as Keycloak's own JWKS endpoint shows it; null for a key type JWKS cannot carry. */
    public static JWK toJwk(KeyWrapper key) {
        JWKBuilder builder = JWKBuilder.create().kid(key.getKid()).algorithm(key.getAlgorithmOrDefault());
        List<X509Certificate> certificates = key.getCertificateChain() != null && !key.getCertificateChain().isEmpty()
                ? key.getCertificateChain()
                : key.getCertificate() != null ? List.of(key.getCertificate()) : List.of();
        if (KeyType.RSA.equals(key.getType())) {
            return builder.rsa(key.getPublicKey(), certificates, key.getUse());
        } else if (KeyType.EC.equals(key.getType())) {
            return builder.ec(key.getPublicKey(), certificates, key.getUse());
        } else if (KeyType.OKP.equals(key.getType())) {
            return builder.okp(key.getPublicKey(), key.getUse());
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ errors

    /** The OAuth error code of an {@link ErrorResponseException} (never calls {@code getResponse()}). */
    public static String error(ErrorResponseException e) {
        if (GET_ERROR != null) {
            try {
                return (String) GET_ERROR.invokeExact(e);
            } catch (RuntimeException | Error rethrown) {
                throw rethrown;
            } catch (Throwable impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        // 26.4-26.6: ErrorResponseException(error, description, status) passes error as the message. Built from a
        // Response it has no error code, and the message is WebApplicationException's "HTTP <status> <reason>".
        String message = e.getMessage();
        return message == null || message.startsWith("HTTP ") ? null : message;
    }

    private static MethodHandle findGetError() {
        try {
            return MethodHandles.publicLookup().findVirtual(ErrorResponseException.class, "getError",
                    MethodType.methodType(String.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------ CORS

    /**
     * What 26.7's {@code cors.checkAllowedOrigins(session, client)} does, on every supported release: a request
     * whose {@code Origin} is one of the client's web origins gets the CORS headers at {@code cors.add(…)}; a
     * same-origin request passes without them; any other origin is refused with {@link ForbiddenException}.
     */
    public static Cors checkAllowedOrigins(Cors cors, KeycloakSession session, ClientModel client) {
        List<String> origins = session.getContext().getRequestHeaders().getRequestHeader("Origin");
        String origin = origins == null || origins.isEmpty() ? null : origins.get(0);
        if (origin == null) {
            return cors;
        }
        Set<String> allowed = client == null ? Set.of() : WebOriginsUtils.resolveValidWebOrigins(session, client);
        if (allowed.contains(origin) || allowed.contains(Cors.ACCESS_CONTROL_ALLOW_ORIGIN_WILDCARD)) {
            // The origin is checked: add() echoes it back (never "*"), with credentials allowed as auth() asked.
            return cors.allowAllOrigins();
        }
        if (origin.equals(UriUtils.getOrigin(session.getContext().getUri().getRequestUri()))) {
            return cors;
        }
        throw new ForbiddenException("Invalid origin");
    }
}
