package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.keycloak.account.EmailVerification;
import io.github.keycloakhasura.graphql.keycloak.account.ProfileErrors;
import io.github.keycloakhasura.graphql.keycloak.account.ThemeMessages;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

    /** The new user and its tokens; without tokens (and with the pending user) while its email waits for verification. */
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
            UserProfile profile = validProfile(s, event, username, email, firstName, lastName);
            String effectiveUsername = realm.isRegistrationEmailAsUsername() ? email : username;
            PolicyError policy = s.getProvider(PasswordPolicyManagerProvider.class).validate(effectiveUsername, password);
            if (policy != null) {
                event.error(Errors.INVALID_REGISTRATION);
                throw fieldError("password", ThemeMessages.text(s, policy.getMessage(), policy.getParameters()));
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

    private static UserProfile validProfile(KeycloakSession s, EventBuilder event, String username, String email,
                                            String firstName, String lastName) {
        Map<String, List<String>> attributes = new LinkedHashMap<>();
        attributes.put(UserModel.USERNAME, List.of(username == null ? "" : username));
        attributes.put(UserModel.EMAIL, List.of(email == null ? "" : email));
        if (firstName != null) {
            attributes.put(UserModel.FIRST_NAME, List.of(firstName));
        }
        if (lastName != null) {
            attributes.put(UserModel.LAST_NAME, List.of(lastName));
        }
        UserProfile profile = s.getProvider(UserProfileProvider.class).create(UserProfileContext.REGISTRATION, attributes);
        try {
            profile.validate();
        } catch (ValidationException e) {
            event.error(e.hasError("emailExistsMessage") ? Errors.EMAIL_IN_USE
                    : e.hasError("usernameExistsMessage") ? Errors.USERNAME_IN_USE : Errors.INVALID_REGISTRATION);
            throw ProfileErrors.of(s, e);
        }
        return profile;
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
