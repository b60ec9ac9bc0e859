package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.variables.SessionVariables;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.api.UserView;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * What {@link KeycloakOrganizations} uses of the GraphQL endpoint's Keycloak side ({@code graphql.keycloak}, which
 * implements it): its grants, its verified caller, its transactions. So the organization code runs Keycloak's grants
 * exactly as tokenAuth and refreshToken do (trust boundary, public clients, error answers) without a copy of them.
 */
public interface KeycloakSide {

    /** A caller as Keycloak verified it (the request's bearer token). */
    interface VerifiedCaller extends Caller {
        UserModel user();

        AccessToken token();

        ClientModel client();

        UserSessionModel userSession();
    }

    KeycloakSession session();

    /** tokenAuth's password grant, unchanged. */
    Tokens login(String username, String password, String clientId, String scope, String otp, PendingActionInput pending);

    /**
     * refreshToken's refresh grant, with a {@code scope} parameter; {@code accept} looks at the new tokens inside the
     * grant's session and transaction, and when it throws, nothing the grant wrote is kept and no token is returned;
     * when Keycloak refuses the {@code scope} parameter ({@code invalid_scope}), {@code scopeRefused}'s exception is the
     * answer.
     */
    Tokens refresh(String refreshToken, String scope, TransactionMode mode, BiConsumer<KeycloakSession, Tokens> accept,
                   Supplier<GraphqlException> scopeRefused);

    /** refreshToken's refresh grant as it is: no {@code scope} parameter, so nothing Keycloak could refuse in it. */
    default Tokens refresh(String refreshToken, TransactionMode mode) {
        return refresh(refreshToken, null, mode, (s, tokens) -> { }, () -> GraphqlException.badInput("no scope was asked for"));
    }

    /**
     * One top-level claim (string or number) of a compact JWS, read without verifying it or parsing the rest;
     * IllegalArgumentException for anything that is not a JWT.
     */
    Object claim(String jwt, String name);

    /** revokeToken's revocation. */
    void revoke(String refreshToken);

    VerifiedCaller caller(Caller caller);

    /** The caller's Hasura session variables, as whoami shows them (the token's). */
    SessionVariables sessionVariables(Caller caller);

    <T> T run(TransactionMode mode, String name, Function<KeycloakSession, T> work);

    /** tokenAuth's client when the caller names none ({@code client-id}). */
    String defaultClientId();

    /** The realm role of realm managers ({@code manager-role}). */
    String managerRole();

    UserView view(UserModel user);
}
