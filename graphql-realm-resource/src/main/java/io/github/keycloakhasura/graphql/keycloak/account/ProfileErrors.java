package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.userprofile.ValidationException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** A user-profile validation failure as BAD_USER_INPUT, with {@code extensions.fields} (attribute, message). */
public final class ProfileErrors {

    private ProfileErrors() {
    }

    public static GraphqlException of(KeycloakSession s, ValidationException e) {
        return of(s, e.getErrors());
    }

    /** The same for some of a validation's errors. */
    public static GraphqlException of(KeycloakSession s, List<ValidationException.Error> errors) {
        Set<Map<String, String>> fields = new LinkedHashSet<>();
        for (ValidationException.Error error : errors) {
            String text = ThemeMessages.text(s, error.getMessage(), error.getMessageParameters());
            fields.add(Map.of("field", Objects.requireNonNullElse(error.getAttribute(), ""), "message", text));
        }
        String message = fields.stream()
                .map(f -> f.get("field").isEmpty() ? f.get("message") : f.get("field") + ": " + f.get("message"))
                .distinct()
                .collect(Collectors.joining("; "));
        return new GraphqlException(ErrorCode.BAD_USER_INPUT, message, Map.of("fields", List.copyOf(fields)));
    }
}
