package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.TotpSecret;
import io.github.keycloakhasura.compat.BruteForce;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.OTPCredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.OTPPolicy;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.Base32;
import org.keycloak.models.utils.CredentialValidation;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.utils.CredentialHelper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * totpSetup, totpConfirm and totpRemove: an authenticator app added or removed as Keycloak's configure-OTP action
 * and account console do it. The secret offered by totpSetup waits for its confirmation in Keycloak's single-use
 * object store, under the user's id, for the realm's user-action lifespan; a new setup replaces it. Adding and
 * removing need a proof beyond the access token ({@link Reauthentication}); a pending secret changes nothing.
 */
public final class Totp {

    static final String PENDING_KEY = "keycloak-hasura.totp-setup.";
    private static final String SECRET = "secret";
    private static final String PROVIDER = "keycloak-otp";

    private Totp() {
    }

    /** A new secret for the caller and its {@code otpauth://} URI under the realm's OTP policy. */
    public static TotpSecret setup(Self self) {
        OTPPolicy policy = requireTotpPolicy(self);
        String secret = HmacOTP.generateSecret(20);
        SingleUseObjectProvider pending = self.session().singleUseObjects();
        String key = PENDING_KEY + self.user().getId();
        pending.remove(key);
        pending.put(key, Math.max(60, self.realm().getActionTokenGeneratedByUserLifespan()), Map.of(SECRET, secret));
        return new TotpSecret(Base32.encode(secret.getBytes(StandardCharsets.UTF_8)),
                policy.getKeyURI(self.realm(), self.user(), secret));
    }

    /**
     * Adds the OTP credential of the pending secret when {@code code} is a current code of it and the caller proved
     * more than the token ({@link Reauthentication}: the password or a recent login).
     */
    public static boolean confirm(Self self, String code, String label, String password) {
        OTPPolicy policy = requireTotpPolicy(self);
        Reauthentication.require(self, password, Reauthentication.CONFIGURE_TOTP);
        String key = PENDING_KEY + self.user().getId();
        Map<String, String> notes = self.session().singleUseObjects().get(key);
        if (notes == null || notes.get(SECRET) == null) {
            throw GraphqlException.badInput("No pending TOTP setup (or it expired): call totpSetup first");
        }
        OTPCredentialModel credential = OTPCredentialModel.createFromPolicy(self.realm(), notes.get(SECRET), blankToNull(label));
        EventBuilder event = self.event(EventType.UPDATE_CREDENTIAL).detail(Details.CREDENTIAL_TYPE, OTPCredentialModel.TYPE);
        if (blank(code) || !CredentialValidation.validOTP(code.trim(), credential, policy.getLookAheadWindow())) {
            failed(event, EventType.UPDATE_TOTP_ERROR, Errors.INVALID_USER_CREDENTIALS);
            throw Passwords.fieldError("code", ThemeMessages.text(self.session(), "invalidTotpMessage"));
        }
        if (blank(label) && self.user().credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).findAny().isPresent()) {
            throw Passwords.fieldError("label", ThemeMessages.text(self.session(), "missingTotpDeviceName"));
        }
        try {
            if (!CredentialHelper.createOTPCredential(self.session(), self.realm(), self.user(), code.trim(), credential)) {
                throw Passwords.fieldError("code", ThemeMessages.text(self.session(), "invalidTotpMessage"));
            }
        } catch (ModelDuplicateException e) {
            throw Passwords.fieldError("label", ThemeMessages.text(self.session(), "totpDeviceNameAlreadyInUse"));
        }
        self.session().singleUseObjects().remove(key);
        event.clone().event(EventType.UPDATE_TOTP).success();
        event.success();
        return true;
    }

    /**
     * Removes the caller's OTP credential that {@code code} is a current code of (one brute-force-counted guess), when
     * the caller also proved more than the token ({@link Reauthentication}: the password or a recent login).
     */
    public static boolean remove(Self self, String code, String password) {
        List<CredentialModel> credentials = self.user().credentialManager()
                .getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).toList();
        if (credentials.isEmpty()) {
            throw GraphqlException.badInput("No OTP authenticator is configured for this account");
        }
        Reauthentication.require(self, password, Reauthentication.CONFIGURE_TOTP);
        EventBuilder event = self.event(EventType.REMOVE_CREDENTIAL).detail(Details.CREDENTIAL_TYPE, OTPCredentialModel.TYPE);
        if (blank(code)) {
            throw Passwords.fieldError("code", ThemeMessages.text(self.session(), "missingTotpMessage"));
        }
        if (BruteForce.locked(self.session(), self.realm(), self.user())) {
            failed(event, EventType.REMOVE_TOTP_ERROR, Errors.USER_TEMPORARILY_DISABLED);
            throw GraphqlException.unauthenticated("Invalid code");
        }
        OTPCredentialProvider provider = (OTPCredentialProvider) self.session().getProvider(CredentialProvider.class, PROVIDER);
        for (CredentialModel credential : credentials) {
            if (provider.isValid(self.realm(), self.user(),
                    new UserCredentialModel(credential.getId(), OTPCredentialModel.TYPE, code.trim()))) {
                provider.deleteCredential(self.realm(), self.user(), credential.getId());
                BruteForce.succeeded(self.session(), self.realm(), self.user(), OTPCredentialModel.TYPE);
                event.detail(Details.CREDENTIAL_ID, credential.getId());
                event.clone().event(EventType.REMOVE_TOTP).success();
                event.success();
                return true;
            }
        }
        BruteForce.failed(self.session(), self.realm(), self.user(), OTPCredentialModel.TYPE);
        failed(event, EventType.REMOVE_TOTP_ERROR, Errors.INVALID_USER_CREDENTIALS);
        throw GraphqlException.unauthenticated("Invalid code");
    }

    private static OTPPolicy requireTotpPolicy(Self self) {
        OTPPolicy policy = self.realm().getOTPPolicy();
        if (!OTPCredentialModel.TOTP.equals(policy.getType())) {
            throw GraphqlException.forbidden("The realm's OTP policy is not time-based (TOTP)");
        }
        return policy;
    }

    private static void failed(EventBuilder event, EventType deprecated, String error) {
        EventType current = event.getEvent().getType() == EventType.REMOVE_CREDENTIAL
                ? EventType.REMOVE_CREDENTIAL_ERROR : EventType.UPDATE_CREDENTIAL_ERROR;
        event.clone().event(deprecated).error(error);
        event.clone().event(current).error(error);
    }

    private static String blankToNull(String value) {
        return blank(value) ? null : value.trim();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
