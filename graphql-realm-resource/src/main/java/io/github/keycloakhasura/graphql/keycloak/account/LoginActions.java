package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What tokenAuth says when Keycloak's password grant refused a login with "Account is not fully set up". Keycloak
 * reaches that refusal only after its whole direct-grant flow succeeded (username, password, OTP when configured),
 * so naming the pending actions reveals nothing to someone without the password. Some can be completed on the spot
 * ({@link LoginCompletion}); the answer says which.
 */
public final class LoginActions {

    /** Keycloak's error description for a login refused because of pending required actions. */
    public static final String NOT_FULLY_SET_UP = "Account is not fully set up";
    static final String VERIFY_PROFILE = "VERIFY_PROFILE";

    private LoginActions() {
    }

    /** The user the grant authenticated (Keycloak's direct grant looks users up by username or email). */
    public static UserModel user(KeycloakSession s, String username) {
        return KeycloakModelUtils.findUserByNameOrEmail(s, s.getContext().getRealm(), username.trim());
    }

    /**
     * The actions Keycloak found pending: the user's required actions (the grant's triggers, e.g. VERIFY_EMAIL or an
     * expired password, have just added theirs in this transaction) and VERIFY_PROFILE, which Keycloak keeps on the
     * login's authentication session only.
     */
    public static List<String> pending(KeycloakSession s, UserModel user) {
        Set<String> actions = new LinkedHashSet<>(user.getRequiredActionsStream().toList());
        try {
            s.getProvider(UserProfileProvider.class).create(UserProfileContext.UPDATE_PROFILE, user).validate();
        } catch (ValidationException e) {
            actions.add(VERIFY_PROFILE);
        }
        // In the order Keycloak's login pages would ask for them (the realm's required-action priorities).
        RealmModel realm = s.getContext().getRealm();
        return actions.stream()
                .sorted(Comparator.comparingInt((String alias) -> priority(realm, alias)).thenComparing(alias -> alias))
                .toList();
    }

    private static int priority(RealmModel realm, String alias) {
        RequiredActionProviderModel model = realm.getRequiredActionProviderByAlias(alias);
        return model == null ? Integer.MAX_VALUE : model.getPriority();
    }

    /**
     * ACTION_REQUIRED naming the pending {@code actions} ({@code extensions.requiredActions}), which of them tokenAuth
     * can complete ({@code extensions.completable}, see {@link LoginCompletion}) and, when CONFIGURE_TOTP is one of
     * those, the TOTP secret to set up ({@code extensions.totp}: {@code secret}, {@code uri}).
     */
    public static GraphqlException actionRequired(KeycloakSession s, UserModel user, List<String> actions) {
        RealmModel realm = s.getContext().getRealm();
        List<String> completable = LoginCompletion.completable(s, realm, user, actions);
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("requiredActions", actions);
        extensions.put("completable", completable);
        if (completable.contains(UserModel.RequiredAction.CONFIGURE_TOTP.name())) {
            extensions.put("totp", LoginCompletion.totpOffer(s, realm, user));
        }
        return new GraphqlException(ErrorCode.ACTION_REQUIRED, "The account must complete these actions before it can "
                + "log in: " + String.join(", ", actions), extensions);
    }

    /**
     * Whether the grant that asked for a code had accepted the password. Keycloak's stock direct-grant flow asks for
     * the code only after its password step succeeded; this check keeps OTP_REQUIRED from naming OTP users to a
     * wrong password in a realm whose custom flow asks for the code first. It runs only once Keycloak's flow has
     * counted the attempt (a login without the code is a failure for brute-force detection).
     */
    public static boolean passwordAccepted(KeycloakSession s, String username, String password) {
        UserModel user = user(s, username);
        return user != null && user.isEnabled()
                && user.credentialManager().isValid(UserCredentialModel.password(password));
    }

    public static GraphqlException otpRequired() {
        return otpRequired("A one-time code is required: send otp");
    }

    public static GraphqlException otpRequired(String message) {
        return new GraphqlException(ErrorCode.OTP_REQUIRED, message);
    }
}
