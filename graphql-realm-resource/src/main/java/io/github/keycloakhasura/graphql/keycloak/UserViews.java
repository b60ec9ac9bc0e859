package io.github.keycloakhasura.graphql.keycloak;

import io.github.keycloakhasura.graphql.api.UserView;
import org.keycloak.models.UserModel;

import java.time.Instant;

/** A Keycloak user as the API shows it. */
public final class UserViews {

    private UserViews() {
    }

    public static UserView of(UserModel user, String hasuraRole) {
        Long created = user.getCreatedTimestamp();
        return new UserView(user.getId(), user.getUsername(), user.getEmail(), user.getFirstName(), user.getLastName(),
                user.isEmailVerified(), user.isEnabled(), created == null ? null : Instant.ofEpochMilli(created).toString(),
                hasuraRole);
    }
}
