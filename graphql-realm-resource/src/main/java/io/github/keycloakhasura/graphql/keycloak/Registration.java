package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.keycloak.account.EmailVerification;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.keycloak.account.ProfileErrors;
import io.github.keycloakhasura.graphql.keycloak.account.SignUpNotice;
import io.github.keycloakhasura.graphql.keycloak.account.ThemeMessages;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * createUser: a registration as the realm's registration page does it (realm switch, user profile in the
 * REGISTRATION context, password policy, REGISTER event), then the new user's first login through the password grant
 * at the configured client, all in one transaction of its own: no user is kept without its tokens.
 */
final class Registration {

    private static final Logger LOG = Logger.getLogger(Registration.class);

    private final String clientId;
    private final TransactionRunner transactions;

    Registration(String clientId, TransactionRunner transactions) {
        this.clientId = clientId;
        this.transactions = transactions;
    }

    /**
     * The new user and its tokens; without tokens while its email waits for verification. When the realm verifies
     * email and the address already has an account, nobody is created: the answer describes the user Keycloak would
     * have created (see {@link #standIn}) and the address's owner is told instead ({@link SignUpNotice}).
     */
    SignUp signUp(String username, String password, String email, String firstName, String lastName) {
        SignUp signUp = register(username, password, email, firstName, lastName);
        if (signUp.tokens() != null) {
            // Logged in by Keycloak's password grant: answered once a next login of the user can succeed.
            LoginRelease.await(transactions.session(), clientId, signUp.user().username());
        }
        return signUp;
    }

    private SignUp register(String username, String password, String email, String firstName, String lastName) {
        return transactions.own("createUser", s -> {
            RealmModel realm = s.getContext().getRealm();
            EventBuilder event = new EventBuilder(realm, s, s.getContext().getConnection())
                    .event(EventType.REGISTER).client(clientId)
                    .detail(Details.REGISTER_METHOD, "graphql")
                    .detail(Details.USERNAME, username).detail(Details.EMAIL, email);
            requireOpen(s, realm, event);
            GrantChecks.requirePublicClient(s, clientId);
            if (password == null || password.isBlank()) {
                event.error(Errors.INVALID_REGISTRATION);
                throw fieldError("password", ThemeMessages.text(s, "missingPasswordMessage"));
            }
            UserProfile profile = s.getProvider(UserProfileProvider.class).create(UserProfileContext.REGISTRATION,
                    attributes(username, email, firstName, lastName));
            boolean addressTaken = validate(s, realm, event, profile);
            String effectiveUsername = realm.isRegistrationEmailAsUsername() ? email : username;
            PolicyError policy = s.getProvider(PasswordPolicyManagerProvider.class).validate(effectiveUsername, password);
            if (policy != null) {
                event.error(Errors.INVALID_REGISTRATION);
                throw fieldError("password", ThemeMessages.text(s, policy.getMessage(), policy.getParameters()));
            }
            if (addressTaken) {
                return standIn(s, realm, event, profile, password);
            }
            UserModel user = create(s, event, profile, password);
            event.user(user).success();
            if (EmailVerification.required(realm, user)) {
                // The password grant would refuse the user until the email is verified: kept, emailed, no tokens.
                new EmailVerification(s, clientId).afterSignUp(user);
                return new SignUp(UserViews.of(user, null), null);
            }
            TokenEndpointCalls.Result result = TokenEndpointCalls.token(s,
                    TokenEndpointCalls.passwordForm(clientId, user.getUsername(), password, null));
            if (!result.ok()) {
                LOG.infof("createUser: no tokens for new user %s (%s: %s); the registration is rolled back",
                        user.getUsername(), result.error(), result.description());
                // Thrown inside the transaction: the user is not kept (see CONFIG.md).
                throw GraphqlException.forbidden("The account cannot be created here: Keycloak would not log it in ("
                        + Objects.requireNonNullElse(result.description(), result.error())
                        + "). Use the realm's own registration page.");
            }
            Tokens tokens = TokenEndpointCalls.tokens(result.response());
            return new SignUp(UserViews.of(user, TokenClaims.defaultRole(Jwts.payload(tokens.token()))), tokens);
        });
    }

    private static void requireOpen(KeycloakSession s, RealmModel realm, EventBuilder event) {
        if (!realm.isRegistrationAllowed()) {
            event.error(Errors.REGISTRATION_DISABLED);
            throw GraphqlException.forbidden("Registration is not allowed in this realm");
        }
        Optional<String> step = RegistrationSteps.unsupported(s, realm);
        if (step.isPresent()) {
            event.error(Errors.INVALID_REGISTRATION);
            throw GraphqlException.forbidden("The realm's registration flow has a step this API cannot run: "
                    + step.get() + ". Use the realm's own registration page.");
        }
    }

    private static Map<String, List<String>> attributes(String username, String email, String firstName, String lastName) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        attributes.put(UserModel.USERNAME, List.of(username == null ? "" : username));
        attributes.put(UserModel.EMAIL, List.of(email == null ? "" : email));
        if (firstName != null) {
            attributes.put(UserModel.FIRST_NAME, List.of(firstName));
        }
        if (lastName != null) {
            attributes.put(UserModel.LAST_NAME, List.of(lastName));
        }
        return attributes;
    }

    /**
     * Validates the profile as the registration page does; true when its one fault is that the address already has
     * an account and the realm verifies email (then the sign-up answers as for a new address: {@link SignUpNotice}).
     * With other faults too, they alone are the answer, as for a new address.
     */
    private static boolean validate(KeycloakSession s, RealmModel realm, EventBuilder event, UserProfile profile) {
        try {
            profile.validate();
            return false;
        } catch (ValidationException e) {
            List<ValidationException.Error> errors = SignUpNotice.asForANewAddress(realm, e);
            if (errors.isEmpty()) {
                return true;
            }
            Set<String> messages = errors.stream().map(ValidationException.Error::getMessage).collect(Collectors.toSet());
            event.error(messages.contains("emailExistsMessage") ? Errors.EMAIL_IN_USE
                    : messages.contains("usernameExistsMessage") ? Errors.USERNAME_IN_USE : Errors.INVALID_REGISTRATION);
            throw ProfileErrors.of(s, errors);
        }
    }

    /**
     * The sign-up of an address that has an account, in a realm that verifies email: the answer a new user would get
     * (a new id, the names as Keycloak stores them, no tokens: {@link PendingUser}) after the same password work
     * (the policy with the user in hand, the realm's hash), nothing stored, and the owner told ({@link SignUpNotice}).
     * What it cannot hide: the username stays free, so a second sign-up with it succeeds where, after a real
     * sign-up, it would answer "Username already exists" (README, security).
     */
    private SignUp standIn(KeycloakSession s, RealmModel realm, EventBuilder event, UserProfile profile, String password) {
        String email = profile.getAttributes().getFirst(UserModel.EMAIL);
        String username = realm.isRegistrationEmailAsUsername() ? email : profile.getAttributes().getFirst(UserModel.USERNAME);
        UserView view = new UserView(KeycloakModelUtils.generateId(), lower(username), lower(email),
                profile.getAttributes().getFirst(UserModel.FIRST_NAME), profile.getAttributes().getFirst(UserModel.LAST_NAME),
                false, true, Instant.ofEpochMilli(Time.currentTimeMillis()).toString(), null);
        PolicyError policy = s.getProvider(PasswordPolicyManagerProvider.class)
                .validate(realm, PendingUser.of(s, realm, view), password);
        if (policy != null) {
            event.error(Errors.INVALID_REGISTRATION);
            throw fieldError("password", ThemeMessages.text(s, policy.getMessage(), policy.getParameters()));
        }
        hashLikeANewPassword(s, realm, password);
        new SignUpNotice(s, clientId).toOwnerOf(email);
        event.error(Errors.EMAIL_IN_USE);
        return new SignUp(view, null);
    }

    /** What storing {@code password} costs (the realm's hash algorithm and iterations), without storing it. */
    private static void hashLikeANewPassword(KeycloakSession s, RealmModel realm, String password) {
        PasswordPolicy policy = realm.getPasswordPolicy();
        PasswordHashProvider hash = policy != null && policy.getHashAlgorithm() != null
                ? s.getProvider(PasswordHashProvider.class, policy.getHashAlgorithm())
                : s.getProvider(PasswordHashProvider.class);
        hash.encodedCredential(password, policy != null ? policy.getHashIterations() : -1);
    }

    private static String lower(String value) {
        return value == null ? null : value.trim().toLowerCase(Locale.ROOT);
    }

    private static UserModel create(KeycloakSession s, EventBuilder event, UserProfile profile, String password) {
        try {
            UserModel user = profile.create();
            user.setEnabled(true);
            // Re-validates every policy with the user in hand (notEmail, history, …): ModelException if one fails.
            user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
            return user;
        } catch (ModelDuplicateException e) {
            event.error(Errors.USERNAME_IN_USE);
            throw GraphqlException.badInput("A user with this username or email already exists");
        } catch (ModelException e) {
            event.error(Errors.INVALID_REGISTRATION);
            throw fieldError("password", ThemeMessages.text(s, e.getMessage(), e.getParameters()));
        }
    }

    private static GraphqlException fieldError(String field, String message) {
        return new GraphqlException(ErrorCode.BAD_USER_INPUT, message,
                Map.of("fields", List.of(Map.of("field", field, "message", message))));
    }
}
