package io.github.keycloakhasura.graphql.keycloak.account;

import org.keycloak.models.KeycloakSession;
import org.keycloak.theme.Theme;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;

/** Texts of Keycloak's login theme (policy and validation messages) in the caller's locale. */
public final class ThemeMessages {

    private ThemeMessages() {
    }

    /** The message {@code key} of the realm's login theme, formatted; the key itself when unknown. */
    public static String text(KeycloakSession s, String key, Object... parameters) {
        if (key == null) {
            return "Invalid value";
        }
        try {
            Locale locale = s.getContext().resolveLocale(null);
            Theme theme = s.theme().getTheme(Theme.Type.LOGIN);
            Properties messages = theme.getEnhancedMessages(s.getContext().getRealm(), locale);
            String pattern = messages.getProperty(key, key);
            return new MessageFormat(pattern.replace("''", "'").replace("'", "''"), locale)
                    .format(parameters == null ? new Object[0] : parameters);
        } catch (Exception e) {
            return key;
        }
    }
}
