package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.compat.KeycloakCompat;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.RawJson;
import io.github.keycloakhasura.graphql.api.Tokens;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.EventBuilder;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.endpoints.TokenEndpoint;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;
import org.keycloak.services.CorsErrorResponseException;
import io.github.keycloakhasura.mapper.ClaimsUnavailableResponse;
import org.keycloak.services.ErrorResponseException;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Keycloak's own form endpoints (token, revocation) run in process with a form as the request they see, and their
 * answers turned into the API's: tokens, or a GraphQL error.
 */
public final class TokenEndpointCalls {

    static final String INVALID_CREDENTIALS = "Invalid username or password";

    private TokenEndpointCalls() {
    }

    /** What an endpoint answered: 200 with an entity, or an OAuth error. */
    record Result(int status, AccessTokenResponse response, String error, String description) {
        boolean ok() {
            return response != null;
        }

        static Result of(Response r) {
            Object entity = r.getEntity();
            if (r.getStatus() == 200 && entity instanceof AccessTokenResponse tokens) {
                return new Result(200, tokens, null, null);
            }
            if (entity instanceof OAuth2ErrorRepresentation error) {
                return new Result(r.getStatus(), null, error.getError(), error.getErrorDescription());
            }
            if (r.getStatus() == 200) {
                return new Result(200, null, null, null);
            }
            return new Result(r.getStatus(), null, r.getStatus() == 403 ? "access_denied" : "server_error", null);
        }
    }

    /** A grant at Keycloak's token endpoint ({@code /protocol/openid-connect/token}), in process. */
    static Result token(KeycloakSession s, MultivaluedMap<String, String> form) {
        return withForm(s, form, () -> {
            EventBuilder event = new EventBuilder(s.getContext().getRealm(), s, s.getContext().getConnection());
            return new TokenEndpoint(s, new TokenManager(), event).processGrantRequest();
        });
    }

    /** Runs one of Keycloak's form endpoints with {@code form} as the request it sees; restores the request after. */
    static Result withForm(KeycloakSession s, MultivaluedMap<String, String> form, Supplier<Response> endpoint) {
        KeycloakContext context = s.getContext();
        HttpRequest original = context.getHttpRequest();
        context.setHttpRequest(new FormRequest(original, form));
        try {
            return Result.of(endpoint.get());
        } catch (ClaimsUnavailableResponse e) {
            // The Hasura mapper's claims query failed under "closed": no token, said as such.
            throw new GraphqlException(ErrorCode.CLAIMS_UNAVAILABLE, e.getErrorDescription());
        } catch (CorsErrorResponseException e) {
            return Result.of(e.getResponse());
        } catch (ErrorResponseException e) {
            // Never getResponse(): it marks the transaction rollback-only.
            return new Result(400, null, KeycloakCompat.error(e), e.getErrorDescription());
        } catch (WebApplicationException e) {
            return Result.of(e.getResponse());
        } finally {
            context.setHttpRequest(original);
        }
    }

    static MultivaluedMap<String, String> passwordForm(String clientId, String username, String password, String scope) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle(OAuth2Constants.GRANT_TYPE, OAuth2Constants.PASSWORD);
        form.putSingle(OAuth2Constants.CLIENT_ID, clientId);
        form.putSingle(OAuth2Constants.USERNAME, username);
        form.putSingle(OAuth2Constants.PASSWORD, password);
        if (scope != null && !scope.isBlank()) {
            form.putSingle(OAuth2Constants.SCOPE, scope);
        }
        return form;
    }

    /** The API's tokens: the payload as Keycloak signed it, when the refresh token expires (epoch seconds). */
    public static Tokens tokens(AccessTokenResponse response) {
        Long refreshExpiresAt = null;
        if (response.getRefreshToken() != null) {
            Object exp = Jwts.claim(response.getRefreshToken(), "exp");
            if (exp instanceof Number number && number.longValue() > 0) {
                refreshExpiresAt = number.longValue();
            } else if (response.getRefreshExpiresIn() > 0) {
                refreshExpiresAt = Instant.now().getEpochSecond() + response.getRefreshExpiresIn();
            }
        }
        return new Tokens(response.getToken(), response.getRefreshToken(), new RawJson(Jwts.payloadJson(response.getToken())),
                refreshExpiresAt, response.getExpiresIn(), response.getIdToken());
    }

    static GraphqlException loginError(Result result, String clientId) {
        if (OAuthErrorException.INVALID_GRANT.equals(result.error()) || result.status() == 401 && "invalid_request".equals(result.error())) {
            // Unknown user, wrong password, locked or disabled account, pending required actions: one answer.
            return GraphqlException.unauthenticated(INVALID_CREDENTIALS);
        }
        return grantError(result, clientId);
    }

    static GraphqlException grantError(Result result, String clientId) {
        String error = Objects.requireNonNullElse(result.error(), "");
        String description = Objects.requireNonNullElse(result.description(), error);
        if (result.status() >= 500 || error.equals("server_error")) {
            return new GraphqlException(ErrorCode.INTERNAL, GraphqlException.INTERNAL_MESSAGE);
        }
        return switch (error) {
            case OAuthErrorException.INVALID_SCOPE -> GraphqlException.badInput("Invalid scope");
            case "invalid_request" -> GraphqlException.badInput(description);
            default -> GraphqlException.forbidden("Client " + clientId + " refused: " + description);
        };
    }
}
