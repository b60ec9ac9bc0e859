package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.authentication.requiredactions.UpdateEmail;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.EventAuditingAttributeChangeListener;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.storage.ReadOnlyException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * updateAccount: the caller's profile changed through Keycloak's user profile in the ACCOUNT context, so only what
 * the realm lets users edit changes (admin-only and unmanaged attributes such as {@code hasura_default_role} stay
 * as they are). A new email follows the realm: through Keycloak's update-email action when it is enabled, and
 * unverified with the VERIFY_EMAIL required action when the realm verifies emails.
 */
public final class AccountProfile {

    private AccountProfile() {
    }

    public static UserModel update(Self self, String firstName, String lastName, String email, Map<String, Object> attributes) {
        UserModel user = self.user();
        UserProfileProvider profiles = self.session().getProvider(UserProfileProvider.class);
        Map<String, List<String>> values = new LinkedHashMap<>(
                profiles.create(UserProfileContext.ACCOUNT, user).getAttributes().getReadable());
        if (attributes != null) {
            if (attributes.containsKey(UserModel.EMAIL) || attributes.containsKey(UserModel.USERNAME)) {
                throw GraphqlException.badInput("attributes may not carry email or username; use the email argument");
            }
            attributes.forEach((name, value) -> values.put(name, strings(name, value)));
        }
        if (firstName != null) {
            values.put(UserModel.FIRST_NAME, List.of(firstName));
        }
        if (lastName != null) {
            values.put(UserModel.LAST_NAME, List.of(lastName));
        }
        boolean emailChanges = email != null && !email.trim().equalsIgnoreCase(Objects.requireNonNullElse(user.getEmail(), ""));
        boolean updateEmailAction = UpdateEmail.isEnabled(self.realm());
        if (emailChanges && !updateEmailAction) {
            values.put(UserModel.EMAIL, List.of(email.trim()));
        }
        EventBuilder event = self.event(EventType.UPDATE_PROFILE).detail(Details.CONTEXT, UserProfileContext.ACCOUNT.name());
        String oldEmail = user.getEmail();
        try {
            UserProfile profile = profiles.create(UserProfileContext.ACCOUNT, values, user);
            profile.update(new EventAuditingAttributeChangeListener(profile, event));
            if (emailChanges && updateEmailAction) {
                // Keycloak's update-email action: the UPDATE_EMAIL profile context and its UPDATE_EMAIL event.
                UpdateEmail.updateEmailNow(self.event(EventType.UPDATE_EMAIL), user,
                        UpdateEmail.validateEmailUpdate(self.session(), user, email.trim()));
            }
        } catch (ValidationException e) {
            event.clone().event(EventType.UPDATE_PROFILE_ERROR).error(Errors.INVALID_INPUT);
            throw ProfileErrors.of(self.session(), e);
        } catch (ReadOnlyException e) {
            throw GraphqlException.forbidden("This account is read-only");
        }
        if (emailChanges) {
            if (!updateEmailAction) {
                self.event(EventType.UPDATE_EMAIL).detail(Details.PREVIOUS_EMAIL, oldEmail)
                        .detail(Details.UPDATED_EMAIL, user.getEmail()).success();
            }
            if (self.realm().isVerifyEmail() || UpdateEmail.isVerifyEmailEnabled(self.realm())) {
                user.setEmailVerified(false);
                user.addRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
            }
        }
        event.success();
        return user;
    }

    private static List<String> strings(String name, Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            return List.of(text);
        }
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String text)) {
                    throw GraphqlException.badInput("attributes." + name + " must be a string or a list of strings");
                }
                strings.add(text);
            }
            return strings;
        }
        throw GraphqlException.badInput("attributes." + name + " must be a string or a list of strings");
    }
}
