package io.github.keycloakhasura.graphql.stepup;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.keycloak.GrantChecks;
import io.github.keycloakhasura.graphql.keycloak.KeycloakSide;
import io.github.keycloakhasura.mapper.Elevation;
import org.keycloak.OAuthErrorException;
import org.keycloak.common.util.Time;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.jose.jws.JWSInputException;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.RefreshToken;
import org.keycloak.util.TokenUtil;

/**
 * The {@link StepUp} port on Keycloak. {@code elevate}: the refresh token verified as Keycloak's refresh grant
 * verifies it (signature, type, expiry, client, live session), the proof checked ({@link ProofCheck}), the proof's
 * time noted on the token's client session ({@link Elevation#NOTE}, in a transaction of its own, committed), then
 * Keycloak's refresh grant issues the new tokens of that same session: the Hasura mapper reads the note. No token is
 * made here.
 */
public final class KeycloakStepUp implements StepUp {

    private static final String INVALID_REFRESH = "Invalid or expired refresh token";

    private final KeycloakSide keycloak;
    private final GrantChecks checks;

    public KeycloakStepUp(KeycloakSide keycloak, GrantChecks checks) {
        this.keycloak = keycloak;
        this.checks = checks;
    }

    @Override
    public Tokens elevate(String refreshToken, Proof proof, TransactionMode mode) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw GraphqlException.badInput("refreshToken must not be empty");
        }
        RefreshToken unverified = unverified(refreshToken);
        checks.requireAllowedClient(unverified.getIssuedFor());
        // Its own transaction: a failed proof's bookkeeping, and the note before the refresh grant reads it.
        keycloak.run(TransactionMode.OWN, "elevate", s -> {
            prove(s, refreshToken, unverified.getIssuedFor(), proof);
            return null;
        });
        return keycloak.refresh(refreshToken, mode);
    }

    private static void prove(KeycloakSession s, String refreshToken, String clientId, Proof proof) {
        RealmModel realm = s.getContext().getRealm();
        ClientModel client = realm.getClientByClientId(clientId);
        RefreshToken verified;
        try {
            if (client == null) {
                throw new OAuthErrorException(OAuthErrorException.INVALID_GRANT, "unknown client");
            }
            verified = new TokenManager().verifyRefreshToken(s, realm, client, s.getContext().getHttpRequest(), refreshToken, true);
        } catch (OAuthErrorException e) {
            throw GraphqlException.unauthenticated(INVALID_REFRESH);
        }
        UserSessionModel userSession = TokenUtil.TOKEN_TYPE_OFFLINE.equals(verified.getType())
                ? s.sessions().getOfflineUserSession(realm, verified.getSessionId())
                : s.sessions().getUserSession(realm, verified.getSessionId());
        AuthenticatedClientSessionModel clientSession = userSession == null ? null
                : userSession.getAuthenticatedClientSessionByClient(client.getId());
        UserModel user = userSession == null ? null : userSession.getUser();
        if (clientSession == null || user == null || !user.getId().equals(verified.getSubject())) {
            throw GraphqlException.unauthenticated(INVALID_REFRESH);
        }
        if (!user.isEnabled()) {
            throw GraphqlException.forbidden("Account disabled");
        }
        ProofCheck.verify(s, user, client, userSession, proof);
        clientSession.setNote(Elevation.NOTE, String.valueOf(Time.currentTime()));
    }

    private static RefreshToken unverified(String refreshToken) {
        try {
            RefreshToken token = new JWSInput(refreshToken).readJsonContent(RefreshToken.class);
            if (token.getIssuedFor() == null || token.getIssuedFor().isBlank()) {
                throw GraphqlException.unauthenticated(INVALID_REFRESH);
            }
            return token;
        } catch (JWSInputException | RuntimeException e) {
            if (e instanceof GraphqlException g) {
                throw g;
            }
            throw GraphqlException.unauthenticated(INVALID_REFRESH);
        }
    }
}
