package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.Attributes;
import org.keycloak.userprofile.EventAuditingAttributeChangeListener;
import org.keycloak.userprofile.UserProfile;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.storage.ReadOnlyException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * updateAccount: the caller's profile changed through Keycloak's user profile in the ACCOUNT context. Whatever the
 * realm does not let users edit (admin-only, unmanaged, read-only) and any attribute a Hasura claims mapper of the
 * realm reads (whatever the user profile says) is refused as BAD_USER_INPUT naming it, and nothing changes. A new
 * email goes through {@link EmailChange}: a proof beyond the token, then a link to the new address.
 */
public final class AccountProfile {

    private AccountProfile() {
    }

    /**
     * The caller, changed; the address waiting for confirmation is the user's {@link UserModel#EMAIL_PENDING}. The
     * confirmation link goes to the app of {@code appClientId} (the server's configured client, as every account email).
     */
    public static UserModel update(Self self, String firstName, String lastName, String email, Map<String, Object> attributes,
                                   String password, String appClientId) {
        UserModel user = self.user();
        UserProfileProvider profiles = self.session().getProvider(UserProfileProvider.class);
        Map<String, List<String>> values = new LinkedHashMap<>(
                profiles.create(UserProfileContext.ACCOUNT, user).getAttributes().getReadable());
        Set<String> changed = new LinkedHashSet<>();
        if (attributes != null) {
            if (attributes.containsKey(UserModel.EMAIL) || attributes.containsKey(UserModel.USERNAME)) {
                throw GraphqlException.badInput("attributes may not carry email or username; use the email argument");
            }
            attributes.forEach((name, value) -> values.put(name, strings(name, value)));
            changed.addAll(attributes.keySet());
        }
        if (firstName != null) {
            values.put(UserModel.FIRST_NAME, List.of(firstName));
            changed.add(UserModel.FIRST_NAME);
        }
        if (lastName != null) {
            values.put(UserModel.LAST_NAME, List.of(lastName));
            changed.add(UserModel.LAST_NAME);
        }
        boolean emailChanges = email != null && !email.trim().equalsIgnoreCase(Objects.requireNonNullElse(user.getEmail(), ""));
        if (emailChanges) {
            changed.add(UserModel.EMAIL);
        }
        HasuraAttributes.refuseChangesOfAttributesTheMappersRead(self.realm(), changed);
        if (emailChanges) {
            // Before anything changes: a stolen access token alone changes nothing here.
            Reauthentication.require(self, password, Reauthentication.UPDATE_EMAIL);
        }
        EventBuilder event = self.event(EventType.UPDATE_PROFILE).detail(Details.CONTEXT, UserProfileContext.ACCOUNT.name());
        try {
            UserProfile profile = profiles.create(UserProfileContext.ACCOUNT, values, user);
            if (attributes != null) {
                refuseIgnored(profile, attributes.keySet());
            }
            profile.update(new EventAuditingAttributeChangeListener(profile, event));
        } catch (ValidationException e) {
            event.clone().event(EventType.UPDATE_PROFILE_ERROR).error(Errors.INVALID_INPUT);
            throw ProfileErrors.of(self.session(), e);
        } catch (ReadOnlyException e) {
            throw GraphqlException.forbidden("This account is read-only");
        }
        if (emailChanges) {
            EmailChange.request(self, email, appClientId);
        }
        event.success();
        return user;
    }

    /** BAD_USER_INPUT naming every attribute the user profile would silently drop (not an editable attribute here). */
    private static void refuseIgnored(UserProfile profile, Set<String> names) {
        Attributes attributes = profile.getAttributes();
        List<String> ignored = names.stream()
                .filter(name -> !attributes.contains(name) || attributes.isReadOnly(name))
                .toList();
        if (!ignored.isEmpty()) {
            throw notEditable(ignored, "not an attribute you may edit in this realm");
        }
    }

    static GraphqlException notEditable(List<String> names, String why) {
        List<Map<String, String>> fields = names.stream()
                .map(name -> Map.of("field", name, "message", why))
                .toList();
        return new GraphqlException(ErrorCode.BAD_USER_INPUT, "Cannot change " + String.join(", ", names) + ": " + why,
                Map.of("fields", fields));
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
