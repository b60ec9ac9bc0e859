package io.github.keycloakhasura.graphql.passwordless;

import io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeyAssertion;
import io.github.keycloakhasura.compat.BruteForce;
import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.keycloak.HandedOverAuthenticator;
import io.github.keycloakhasura.graphql.keycloak.account.ActionTokens;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.WebAuthnCredentialModel;

/**
 * The step of the {@value PasswordlessFlow#ALIAS} flow that checks a sign-in link's token or an emailed code, handed
 * over by our code as a session attribute ({@link Attempt}); without one (any request to Keycloak's own endpoints)
 * it fails. A wrong code is a failed login for Keycloak's brute-force protector (no reference category: it counts
 * like a password); a locked user's tries are refused without counting, as Keycloak's username step does.
 * It uses nothing up: the caller does, once the whole flow (OTP included) has passed.
 */
public final class PasswordlessAuthenticator extends HandedOverAuthenticator {

    public static final String PROVIDER_ID = "graphql-passwordless";
    static final String INVALID_CODE = "Invalid or expired code: ask for a new email";
    static final String INVALID_PASSKEY = "Invalid passkey assertion";

    public PasswordlessAuthenticator() {
        super(PROVIDER_ID, "GraphQL sign-in link, emailed code or passkey",
                "Checks the sign-in link, emailed code or passkey of loginWithLink/loginWithCode/passkeyLogin (GraphQL API only).");
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        Attempt attempt = handedOver(context, Attempt.ATTRIBUTE, Attempt.class);
        if (attempt == null) {
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, errorResponse(400, "invalid_request",
                    "Passwordless sign-in works only through the GraphQL API"));
            return;
        }
        if (attempt.proof() instanceof LoginProof.Link link) {
            link(context, attempt, link);
        } else if (attempt.proof() instanceof LoginProof.Code code) {
            code(context, attempt, code);
        } else if (attempt.proof() instanceof LoginProof.Passkey passkey) {
            passkey(context, attempt, passkey);
        }
    }

    /** A passkey assertion; once it names a known user, a failure counts as a failed login of that user. */
    private void passkey(AuthenticationFlowContext context, Attempt attempt, LoginProof.Passkey passkey) {
        KeycloakSession s = context.getSession();
        context.getEvent().detail(Details.CREDENTIAL_TYPE, WebAuthnCredentialModel.TYPE_PASSWORDLESS);
        PasskeyAssertion assertion;
        try {
            assertion = PasskeyAssertion.parse(passkey.credential());
        } catch (GraphqlException e) {
            context.getEvent().error(Errors.INVALID_USER_CREDENTIALS);
            refuse(context, attempt, e.code(), e.getMessage(), false);
            return;
        }
        UserModel user = assertion.user(s);
        if (user == null || user.getServiceAccountClientLink() != null) {
            context.getEvent().error(Errors.USER_NOT_FOUND);
            refuse(context, attempt, ErrorCode.INVALID_CREDENTIAL, INVALID_PASSKEY, false);
            return;
        }
        context.getEvent().user(user).detail(Details.USERNAME, user.getUsername());
        if (BruteForce.locked(s, context.getRealm(), user)) {
            context.getEvent().error(Errors.USER_TEMPORARILY_DISABLED);
            refuse(context, attempt, ErrorCode.INVALID_CREDENTIAL, INVALID_PASSKEY, false);
            return;
        }
        String failure = assertion.verify(s, context.getAuthenticationSession().getClient(), user);
        if (failure != null) {
            context.getEvent().detail(Details.REASON, failure).error(Errors.INVALID_USER_CREDENTIALS);
            context.setUser(user); // the failed login is counted for this user
            refuse(context, attempt, ErrorCode.INVALID_CREDENTIAL, failure, true);
            return;
        }
        if (!accepted(context, attempt, user, ErrorCode.INVALID_CREDENTIAL, INVALID_PASSKEY)) {
            return;
        }
        attempt.accept(null, user.getUsername());
        context.success();
    }

    private void link(AuthenticationFlowContext context, Attempt attempt, LoginProof.Link link) {
        KeycloakSession s = context.getSession();
        LoginLinkToken token;
        UserModel user;
        try {
            // the link must have been issued for the client this sign-in runs for (azp), like every account link
            token = ActionTokens.verify(s, link.token(), LoginLinkToken.class, LoginLinkToken.TOKEN_TYPE,
                    context.getAuthenticationSession().getClient().getClientId(), context.getEvent());
            user = ActionTokens.user(s, token, context.getEvent());
        } catch (GraphqlException e) {
            refuse(context, attempt, e.code(), e.getMessage(), false);
            return;
        }
        if (!accepted(context, attempt, user, ErrorCode.INVALID_TOKEN, ActionTokens.INVALID)) {
            return;
        }
        attempt.accept(token, user.getUsername());
        context.success();
    }

    private void code(AuthenticationFlowContext context, Attempt attempt, LoginProof.Code code) {
        KeycloakSession s = context.getSession();
        RealmModel realm = context.getRealm();
        context.getEvent().detail(Details.USERNAME, code.email());
        UserModel user;
        try {
            user = s.users().getUserByEmail(realm, code.email());
        } catch (ModelDuplicateException e) {
            user = null;
        }
        if (user == null || user.getServiceAccountClientLink() != null) {
            context.getEvent().error(Errors.USER_NOT_FOUND);
            refuse(context, attempt, ErrorCode.INVALID_CODE, INVALID_CODE, false);
            return;
        }
        context.getEvent().user(user);
        if (BruteForce.locked(s, realm, user)) {
            context.getEvent().error(Errors.USER_TEMPORARILY_DISABLED);
            refuse(context, attempt, ErrorCode.INVALID_CODE, INVALID_CODE, false);
            return;
        }
        if (LoginCodes.check(s, user, code.code()) != LoginCodes.Check.RIGHT) {
            context.getEvent().error(Errors.INVALID_USER_CREDENTIALS);
            context.setUser(user); // the failed login is counted for this user
            refuse(context, attempt, ErrorCode.INVALID_CODE, INVALID_CODE, true);
            return;
        }
        if (!accepted(context, attempt, user, ErrorCode.INVALID_CODE, INVALID_CODE)) {
            return;
        }
        attempt.accept(null, user.getUsername());
        context.success();
    }

    /** The proof was right: a disabled user is FORBIDDEN (told only now), a locked one refused; else the user is set. */
    private boolean accepted(AuthenticationFlowContext context, Attempt attempt, UserModel user, ErrorCode invalid, String message) {
        context.getEvent().user(user).detail(Details.USERNAME, user.getUsername());
        if (!user.isEnabled()) {
            context.getEvent().error(Errors.USER_DISABLED);
            refuse(context, attempt, ErrorCode.FORBIDDEN, "Account disabled", false);
            return false;
        }
        if (BruteForce.locked(context.getSession(), context.getRealm(), user)) {
            context.getEvent().error(Errors.USER_TEMPORARILY_DISABLED);
            refuse(context, attempt, invalid, message, false);
            return false;
        }
        context.setUser(user);
        return true;
    }

    /** {@code counted}: a failure for brute-force detection; otherwise a challenge, which Keycloak does not count. */
    private void refuse(AuthenticationFlowContext context, Attempt attempt, ErrorCode code, String message, boolean counted) {
        attempt.refuse(code, message);
        Response response = errorResponse(400, "invalid_grant", message);
        if (counted) {
            context.failure(AuthenticationFlowError.INVALID_CREDENTIALS, response);
        } else {
            context.forceChallenge(response);
        }
    }
}
