package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.jboss.logging.Logger;
import org.keycloak.TokenVerifier;
import org.keycloak.authentication.actiontoken.DefaultActionToken;
import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.exceptions.TokenNotActiveException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.Urls;

/**
 * Keycloak's own action tokens ({@code ResetCredentialsActionToken}, {@code VerifyEmailActionToken}): signed with the
 * realm's keys, bounded by the realm's action-token lifespans, single use through Keycloak's single-use object store (as 26.4's own action-token endpoint does)
 * (the same store and key Keycloak's {@code /login-actions/action-token} uses, so a token used here is used there too).
 * Checks as {@code LoginActionsService.handleActionToken} makes them: signature, expiry, issuer, nonce, type, user;
 * and the client ({@code azp}) must be the one the API issues its links for.
 */
public final class ActionTokens {

    private static final Logger LOG = Logger.getLogger(ActionTokens.class);
    public static final String INVALID = "Invalid or expired link: ask for a new email";

    private ActionTokens() {
    }

    /** The realm's lifespan (seconds) of action tokens of {@code type} (per-type override or the realm default). */
    public static int lifespan(RealmModel realm, String type) {
        return realm.getActionTokenGeneratedByUserLifespan(type);
    }

    public static int expiry(RealmModel realm, String type) {
        return Time.currentTime() + lifespan(realm, type);
    }

    /** Signs the token with the realm's active key, issued by the realm as reached by this request. */
    public static String serialize(KeycloakSession s, DefaultActionToken token) {
        return token.serialize(s, s.getContext().getRealm(), s.getContext().getUri());
    }

    /** The issuer (and audience) of this request's action tokens: the realm's URL as the request reached it. */
    static String issuer(KeycloakSession s) {
        return Urls.realmIssuer(s.getContext().getUri().getBaseUri(), s.getContext().getRealm().getName());
    }

    /**
     * Signs the token with the realm's active key, with an {@link #issuer} taken from a request earlier: what
     * {@code DefaultActionToken.serialize} does, for a session that serves no HTTP request (an email job).
     */
    static String serialize(KeycloakSession s, DefaultActionToken token, String issuer) {
        if (token.getId() == null) {
            token.id(java.util.UUID.randomUUID().toString());
        }
        token.issuedNow().issuer(issuer).audience(issuer);
        return s.tokens().encode(token);
    }

    /**
     * The token, verified and of the given type, not used before; otherwise INVALID_TOKEN (and the error event,
     * {@code expired_code} or {@code invalid_token}, as Keycloak writes them).
     */
    public static <T extends DefaultActionToken> T verify(KeycloakSession s, String tokenString, Class<T> type, String actionId,
                                                   String clientId, EventBuilder event) {
        if (tokenString == null || tokenString.isBlank()) {
            throw GraphqlException.badInput("token must not be empty");
        }
        T token;
        try {
            // Only the links this API emails: issued to its client, not to another (Keycloak's own pages, an admin's email).
            token = checked(s, tokenString, type, actionId, t -> {
                if (!clientId.equals(t.getIssuedFor())) {
                    throw new VerificationException("issued to client " + t.getIssuedFor() + ", not " + clientId);
                }
                return true;
            });
        } catch (TokenNotActiveException e) {
            event.error(Errors.EXPIRED_CODE);
            throw invalid();
        } catch (VerificationException | RuntimeException e) {
            LOG.debugf(e, "action token refused");
            event.error(Errors.INVALID_TOKEN);
            throw invalid();
        }
        event.detail("token_id", token.getId()).detail("action", token.getActionId()).user(token.getUserId());
        if (s.singleUseObjects().contains(token.serializeKey())) {
            event.error(Errors.EXPIRED_CODE);
            throw invalid();
        }
        return token;
    }

    /**
     * Signature, expiry, issuer, Keycloak's basic action-token checks and the action id, as
     * {@code LoginActionsService.handleActionToken} checks them, then {@code extra}; whether it was used is the
     * caller's to check.
     */
    public static <T extends DefaultActionToken> T checked(KeycloakSession s, String tokenString, Class<T> type, String actionId,
                                                    TokenVerifier.Predicate<? super T> extra) throws VerificationException {
        RealmModel realm = s.getContext().getRealm();
        TokenVerifier<T> verifier = TokenVerifier.create(tokenString.trim(), type).withChecks(
                TokenVerifier.IS_ACTIVE,
                new TokenVerifier.RealmUrlCheck(Urls.realmIssuer(s.getContext().getUri().getBaseUri(), realm.getName())),
                DefaultActionToken.ACTION_TOKEN_BASIC_CHECKS,
                t -> {
                    if (!actionId.equals(t.getActionId())) {
                        throw new VerificationException("not a " + actionId + " token");
                    }
                    return true;
                },
                extra);
        SignatureProvider signature = s.getProvider(SignatureProvider.class, verifier.getHeader().getAlgorithm().name());
        if (signature == null) {
            throw new VerificationException("unknown algorithm");
        }
        verifier.verifierContext(signature.verifier(verifier.getHeader().getKeyId()));
        verifier.verify();
        return verifier.getToken();
    }

    /** The token's user, existing and enabled, whose email is still the one the token was sent to. */
    public static UserModel user(KeycloakSession s, DefaultActionToken token, EventBuilder event) {
        RealmModel realm = s.getContext().getRealm();
        UserModel user = token.getUserId() == null ? null : s.users().getUserById(realm, token.getUserId());
        if (user == null) {
            event.error(Errors.USER_NOT_FOUND);
            throw invalid();
        }
        if (!user.isEnabled()) {
            event.error(Errors.USER_DISABLED);
            throw invalid();
        }
        if (token.getEmail() != null && !token.getEmail().equalsIgnoreCase(user.getEmail() == null ? "" : user.getEmail())) {
            event.error(Errors.INVALID_EMAIL);
            throw invalid();
        }
        return user;
    }

    /** Marks the token used (atomically, cluster-wide); INVALID_TOKEN when another request used it first. */
    public static void consume(KeycloakSession s, DefaultActionToken token, EventBuilder event) {
        long lifespan = Math.max(1, token.getExp() - Time.currentTime() + 10);
        if (!s.singleUseObjects().putIfAbsent(token.serializeKey(), lifespan)) {
            event.error(Errors.EXPIRED_CODE);
            throw invalid();
        }
    }

    public static GraphqlException invalid() {
        return new GraphqlException(ErrorCode.INVALID_TOKEN, INVALID);
    }
}
