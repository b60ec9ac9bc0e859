package io.github.keycloakhasura.graphql.pats;

import io.github.keycloakhasura.pat.PatCredentials;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.keycloak.InProcessFlow;
import io.github.keycloakhasura.mapper.RoleLimit;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * tokenAuthWithPersonalAccessToken: a login through the {@value PatFlow#ALIAS} flow ({@link PatAuthenticator} checks
 * the token), as Keycloak's password grant runs its direct-grant flow; then the user session, whose client session
 * notes the token's roles and id ({@link RoleLimit}: the Hasura mapper limits the roles, revocation ends the session)
 * and Keycloak's {@link TokenManager} issues an access token only (no refresh token). The session's login time is
 * noted as long ago, so a token made from a personal access token is never a "recent login" for operations that
 * need one. No token is made here.
 */
final class PatGrant {

    static final String EVENT_DETAIL = "graphql_personal_access_token";
    static final String INVALID = "Invalid, expired or revoked personal access token";

    private PatGrant() {
    }

    static GraphqlException invalid() {
        return new GraphqlException(ErrorCode.INVALID_TOKEN, INVALID);
    }

    /** Keycloak's {@link AccessTokenResponse}, or a {@link GraphqlException} returned (the failure's event commits). */
    static Object run(KeycloakSession s, ClientModel client, String token) {
        RealmModel realm = s.getContext().getRealm();
        if (client == null || !client.isEnabled()) {
            return invalid();
        }
        EventBuilder event = new EventBuilder(realm, s, s.getContext().getConnection()).event(EventType.LOGIN)
                .client(client).detail(EVENT_DETAIL, "true");
        InProcessFlow flow = InProcessFlow.start(s, client, PatFlow.findOrCreate(realm).getId(), event, new MultivaluedHashMap<>());
        PatAuthenticator.Attempt attempt = new PatAuthenticator.Attempt(token);
        if (!flow.passes(PatAuthenticator.ATTRIBUTE, attempt) || attempt.stored() == null) {
            flow.discard(realm);
            return invalid();
        }
        PatCredentials.Stored stored = attempt.stored();
        if (AdminReach.role(realm, stored.user(), client).isPresent()) {
            // The owner was given an admin role since: the token would carry it to Keycloak's admin API.
            flow.discard(realm);
            return invalid();
        }
        AccessTokenResponse response = flow.tokens(client, event, context -> {
            context.getClientSession().setNote(RoleLimit.NOTE, String.join(",", stored.data().roles()));
            context.getClientSession().setNote(RoleLimit.ID_NOTE, stored.credential().getId());
            flow.processor().getUserSession().setNote(AuthenticationManager.AUTH_TIME, "0");
        }).generateAccessToken().build();
        PatCredentials.used(stored);
        event.success();
        return response;
    }
}
