package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import org.keycloak.authentication.requiredactions.TermsAndConditions;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OTPPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserModel.RequiredAction;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.utils.Base32;
import org.keycloak.models.utils.CredentialValidation;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.storage.ReadOnlyException;
import org.keycloak.userprofile.EventAuditingAttributeChangeListener;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.utils.CredentialHelper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pending required actions tokenAuth completes once Keycloak's password grant has accepted the credentials and
 * refused the login as "not fully set up", each as Keycloak's own required-action provider completes it:
 * <ul>
 *   <li>UPDATE_PASSWORD with {@code newPassword} (policy, history; {@link Passwords#update});</li>
 *   <li>TERMS_AND_CONDITIONS with {@code acceptTerms: true} ({@link TermsAndConditions}: the acceptance time in the
 *       {@code terms_and_conditions} attribute);</li>
 *   <li>UPDATE_PROFILE and VERIFY_PROFILE with {@code profile} (the user profile in the UPDATE_PROFILE context, as
 *       Keycloak's update-profile page validates and stores it);</li>
 *   <li>CONFIGURE_TOTP with {@code otp}, a current code of the secret the ACTION_REQUIRED answer offered
 *       ({@code extensions.totp}), for a user without an OTP credential under a TOTP policy (Keycloak's configure-OTP
 *       page). The credential is created after the login grant ran, so the grant does not ask for a code again.</li>
 * </ul>
 */
public final class LoginCompletion {

    static final String OFFER_KEY = "keycloak-hasura.login-totp.";
    private static final String SECRET = "secret";

    private LoginCompletion() {
    }

    /** What {@link #complete} did: the actions completed, and the work left for after the login grant. */
    public record Done(List<String> completed, boolean passwordChanged, Runnable afterLogin) {
    }

    /** Which of the {@code pending} actions tokenAuth can complete for this user. */
    public static List<String> completable(KeycloakSession s, RealmModel realm, UserModel user, List<String> pending) {
        return pending.stream().filter(action -> switch (action) {
            case "UPDATE_PASSWORD", "TERMS_AND_CONDITIONS", "UPDATE_PROFILE", LoginActions.VERIFY_PROFILE -> true;
            case "CONFIGURE_TOTP" -> totpCompletable(realm, user);
            default -> false;
        }).toList();
    }

    /**
     * The TOTP secret offered for CONFIGURE_TOTP ({@code secret} in base32 and its {@code otpauth://} URI), kept in
     * Keycloak's single-use store for the user-action lifespan; the same one until it is used or expires.
     */
    static Map<String, Object> totpOffer(KeycloakSession s, RealmModel realm, UserModel user) {
        String key = OFFER_KEY + user.getId();
        Map<String, String> notes = s.singleUseObjects().get(key);
        String secret = notes == null ? null : notes.get(SECRET);
        if (secret == null) {
            secret = HmacOTP.generateSecret(20);
            s.singleUseObjects().put(key, Math.max(60, realm.getActionTokenGeneratedByUserLifespan()), Map.of(SECRET, secret));
        }
        Map<String, Object> offer = new LinkedHashMap<>();
        offer.put("secret", Base32.encode(secret.getBytes(StandardCharsets.UTF_8)));
        offer.put("uri", realm.getOTPPolicy().getKeyURI(realm, user, secret));
        return offer;
    }

    /** Completes the pending actions {@code input} and {@code otp} cover; BAD_USER_INPUT (nothing kept) if one is refused. */
    public static Done complete(KeycloakSession s, RealmModel realm, UserModel user, ClientModel client,
                                PendingActionInput input, String otp) {
        List<String> pending = LoginActions.pending(s, user);
        List<String> completable = completable(s, realm, user, pending);
        List<String> completed = new ArrayList<>();
        if (!blank(input.newPassword()) && completable.contains(RequiredAction.UPDATE_PASSWORD.name())) {
            Passwords.update(s, realm, user, client, null, input.newPassword(), "newPassword");
            completed.add(RequiredAction.UPDATE_PASSWORD.name());
        }
        if (input.acceptTerms() && completable.contains(RequiredAction.TERMS_AND_CONDITIONS.name())) {
            user.removeAttribute(TermsAndConditions.USER_ATTRIBUTE.toUpperCase());
            user.setAttribute(TermsAndConditions.USER_ATTRIBUTE, List.of(Integer.toString(Time.currentTime())));
            user.removeRequiredAction(RequiredAction.TERMS_AND_CONDITIONS);
            event(s, realm, user, client, EventType.CUSTOM_REQUIRED_ACTION)
                    .detail(Details.CUSTOM_REQUIRED_ACTION, TermsAndConditions.PROVIDER_ID).success();
            completed.add(RequiredAction.TERMS_AND_CONDITIONS.name());
        }
        if (input.profile() != null && (completable.contains(RequiredAction.UPDATE_PROFILE.name())
                || completable.contains(LoginActions.VERIFY_PROFILE))) {
            updateProfile(s, realm, user, client, input.profile());
            completed.addAll(pending.stream().filter(a -> a.equals(RequiredAction.UPDATE_PROFILE.name())
                    || a.equals(LoginActions.VERIFY_PROFILE)).toList());
        }
        Runnable afterLogin = () -> { };
        if (!blank(otp) && completable.contains(RequiredAction.CONFIGURE_TOTP.name())) {
            afterLogin = configureTotp(s, realm, user, client, otp.trim());
            completed.add(RequiredAction.CONFIGURE_TOTP.name());
        }
        return new Done(List.copyOf(completed), completed.contains(RequiredAction.UPDATE_PASSWORD.name()), afterLogin);
    }

    private static void updateProfile(KeycloakSession s, RealmModel realm, UserModel user, ClientModel client,
                                      Map<String, Object> given) {
        UserProfileProvider profiles = s.getProvider(UserProfileProvider.class);
        Map<String, List<String>> values = new LinkedHashMap<>(
                profiles.create(UserProfileContext.UPDATE_PROFILE, user).getAttributes().getReadable());
        Set<String> changed = new LinkedHashSet<>();
        given.forEach((name, value) -> {
            List<String> now = strings(name, value);
            if (!now.equals(values.get(name))) {
                changed.add(name);
            }
            values.put(name, now);
        });
        // The same guard as updateAccount's: whatever the user profile allows, what a Hasura mapper reads is the admin's.
        HasuraAttributes.refuseChangesOfAttributesTheMappersRead(realm, changed);
        EventBuilder event = event(s, realm, user, client, EventType.UPDATE_PROFILE)
                .detail(Details.CONTEXT, UserProfileContext.UPDATE_PROFILE.name());
        try {
            UserProfile profile = profiles.create(UserProfileContext.UPDATE_PROFILE, values, user);
            profile.update(new EventAuditingAttributeChangeListener(profile, event));
        } catch (ValidationException e) {
            event.clone().event(EventType.UPDATE_PROFILE_ERROR).error(Errors.INVALID_INPUT);
            throw ProfileErrors.of(s, e);
        } catch (ReadOnlyException e) {
            throw GraphqlException.forbidden("This account is read-only");
        }
        user.removeRequiredAction(RequiredAction.UPDATE_PROFILE);
        event.success();
    }

    /** Checks the code against the offered secret now; the credential is created by the returned step. */
    private static Runnable configureTotp(KeycloakSession s, RealmModel realm, UserModel user, ClientModel client, String code) {
        String key = OFFER_KEY + user.getId();
        Map<String, String> notes = s.singleUseObjects().get(key);
        if (notes == null || notes.get(SECRET) == null) {
            throw Passwords.fieldError("otp", "No TOTP setup is offered (or it expired): log in without otp to get the secret");
        }
        OTPPolicy policy = realm.getOTPPolicy();
        OTPCredentialModel credential = OTPCredentialModel.createFromPolicy(realm, notes.get(SECRET), null);
        EventBuilder event = event(s, realm, user, client, EventType.UPDATE_CREDENTIAL)
                .detail(Details.CREDENTIAL_TYPE, OTPCredentialModel.TYPE);
        if (!CredentialValidation.validOTP(code, credential, policy.getLookAheadWindow())) {
            event.clone().event(EventType.UPDATE_TOTP_ERROR).error(Errors.INVALID_USER_CREDENTIALS);
            throw Passwords.fieldError("otp", ThemeMessages.text(s, "invalidTotpMessage"));
        }
        user.removeRequiredAction(RequiredAction.CONFIGURE_TOTP);
        return () -> {
            if (!CredentialHelper.createOTPCredential(s, realm, user, code, credential)) {
                throw Passwords.fieldError("otp", ThemeMessages.text(s, "invalidTotpMessage"));
            }
            s.singleUseObjects().remove(key);
            event.clone().event(EventType.UPDATE_TOTP).success();
            event.success();
        };
    }

    private static boolean totpCompletable(RealmModel realm, UserModel user) {
        return OTPCredentialModel.TOTP.equals(realm.getOTPPolicy().getType())
                && user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).findAny().isEmpty();
    }

    private static EventBuilder event(KeycloakSession s, RealmModel realm, UserModel user, ClientModel client, EventType type) {
        return new EventBuilder(realm, s, s.getContext().getConnection()).event(type).user(user).client(client);
    }

    private static List<String> strings(String name, Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            return List.of(text);
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw GraphqlException.badInput("profile." + name + " must be a string or a list of strings");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
