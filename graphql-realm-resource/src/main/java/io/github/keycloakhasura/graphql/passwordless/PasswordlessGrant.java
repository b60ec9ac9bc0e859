package io.github.keycloakhasura.graphql.passwordless;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.keycloak.InProcessFlow;
import io.github.keycloakhasura.graphql.keycloak.account.LoginActions;
import io.github.keycloakhasura.graphql.keycloak.account.ProbedForm;
import jakarta.ws.rs.core.MultivaluedHashMap;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.OIDCAdvancedConfigWrapper;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A sign-in through the {@value PasswordlessFlow#ALIAS} flow, step by step as Keycloak's password grant runs the
 * direct-grant flow ({@code ResourceOwnerPasswordCredentialsGrantType}): an authentication session of the client,
 * {@link AuthenticationProcessor#authenticateOnly}, the required-action triggers ("Account is not fully set up" is
 * ACTION_REQUIRED, listed as for tokenAuth), then the user session and Keycloak's {@link TokenManager}, so every
 * protocol mapper (the Hasura one included) and the LOGIN event apply. No token is made here.
 * <p>
 * The answer is Keycloak's {@link AccessTokenResponse} or a {@link GraphqlException} returned, not thrown: the
 * caller's transaction then commits what the flow recorded (a wrong code's try, a verified email).
 */
final class PasswordlessGrant {

    /** The detail of the LOGIN event (and its errors) naming the method: {@code link}, {@code code} or {@code passkey}. */
    static final String EVENT_DETAIL = "graphql_passwordless";

    private PasswordlessGrant() {
    }

    static Object run(KeycloakSession s, ClientModel client, Attempt attempt) {
        RealmModel realm = s.getContext().getRealm();
        EventBuilder event = new EventBuilder(realm, s, s.getContext().getConnection()).event(EventType.LOGIN)
                .client(client).detail(EVENT_DETAIL, method(attempt.proof()));
        ProbedForm form = new ProbedForm(new MultivaluedHashMap<>());
        String otp = attempt.proof().otp();
        if (otp != null && !otp.isBlank()) {
            form.putSingle(ProbedForm.TOTP, otp.trim());
        }
        InProcessFlow flow = InProcessFlow.start(s, client, PasswordlessFlow.findOrCreate(realm).getId(), event, form);
        AuthenticationSessionModel authSession = flow.authSession();
        if (!flow.passes(Attempt.ATTRIBUTE, attempt)) {
            flow.discard(realm);
            return refusal(attempt, form, otp);
        }
        UserModel user = authSession.getAuthenticatedUser();
        if (attempt.link() != null) {
            // The link reached its owner's mailbox: the address is verified (as Keycloak's verify-email link does).
            user.setEmailVerified(true);
            user.removeRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
        }
        flow.processor().evaluateRequiredActionTriggers();
        if (user.getRequiredActionsStream().findAny().isPresent() || !authSession.getRequiredActions().isEmpty()) {
            flow.discard(realm);
            event.detail(Details.REASON, LoginActions.NOT_FULLY_SET_UP).error(Errors.RESOLVE_REQUIRED_ACTIONS);
            return LoginActions.actionRequired(s, user, LoginActions.pending(s, user));
        }
        GraphqlException used = Consumption.useUp(s, user, attempt, event);
        if (used != null) {
            flow.discard(realm);
            return used;
        }
        return tokens(s, client, flow, event);
    }

    private static String method(LoginProof proof) {
        return proof instanceof LoginProof.Link ? "link" : proof instanceof LoginProof.Code ? "code" : "passkey";
    }

    private static AccessTokenResponse tokens(KeycloakSession s, ClientModel client, InProcessFlow flow, EventBuilder event) {
        TokenManager.AccessTokenResponseBuilder builder = flow.tokens(client, event, context -> { }).generateAccessToken();
        if (OIDCAdvancedConfigWrapper.fromClientModel(client).isUseRefreshToken()) {
            builder.generateRefreshToken();
        }
        AccessTokenResponse response = builder.build();
        event.success();
        AuthenticationManager.logSuccess(s, flow.authSession());
        return response;
    }

    /** What to answer for a flow that did not pass: the authenticator's refusal, OTP_REQUIRED, or a wrong OTP. */
    private static GraphqlException refusal(Attempt attempt, ProbedForm form, String otp) {
        if (attempt.refusal() != null) {
            return new GraphqlException(attempt.refusal(), attempt.refusalMessage());
        }
        if (attempt.accepted() && (otp == null || otp.isBlank()) && form.otpAsked()) {
            return LoginActions.otpRequired();
        }
        if (attempt.accepted()) {
            return GraphqlException.unauthenticated("Invalid one-time code");
        }
        return new GraphqlException(ErrorCode.UNAUTHENTICATED, "Sign-in refused");
    }
}
