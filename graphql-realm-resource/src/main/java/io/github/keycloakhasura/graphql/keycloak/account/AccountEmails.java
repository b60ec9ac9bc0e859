package io.github.keycloakhasura.graphql.keycloak.account;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the email-based account operations share: the request's realm, client, event, app links and users. */
final class AccountEmails {

    private final KeycloakSession session;
    private final String clientId;
    private final AccountEmailConfig config;

    AccountEmails(KeycloakSession session, String clientId) {
        this.session = session;
        this.clientId = clientId;
        this.config = AccountEmailConfig.of(session);
    }

    KeycloakSession session() {
        return session;
    }

    RealmModel realm() {
        return session.getContext().getRealm();
    }

    String clientId() {
        return clientId;
    }

    int emailInterval() {
        return config.emailIntervalSeconds();
    }

    /** A new event of the request (its IP address), for the configured client. */
    EventBuilder event() {
        return new EventBuilder(realm(), session, session.getContext().getConnection()).client(clientId);
    }

    /**
     * Checks, before any user is looked up (so they say nothing about accounts), that emails can be sent here:
     * an app URL for the links and the realm's SMTP server. Returns the app URL.
     */
    String requireMailable() {
        String appUrl = config.appUrl(realm().getClientByClientId(clientId));
        if (appUrl == null) {
            throw GraphqlException.forbidden("Account emails are not set up: set the server option "
                    + AccountEmailConfig.APP_URL + " (required in production mode; in dev mode the root URL of client "
                    + clientId + " also counts)");
        }
        Map<String, String> smtp = realm().getSmtpConfig();
        if (smtp == null || smtp.get("host") == null || smtp.get("host").isBlank()) {
            throw GraphqlException.forbidden("Account emails are not set up: the realm has no SMTP server (Realm settings > Email)");
        }
        return appUrl;
    }

    /** {@code {appUrl}/{page}?token=…}: the page of the app that takes the token. */
    static String link(String appUrl, String page, String token) {
        return appUrl + "/" + page + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** The user with this email address (case-insensitive), or null (also when several users share it). */
    UserModel userByEmail(String email) {
        try {
            return session.users().getUserByEmail(realm(), email.trim());
        } catch (ModelDuplicateException e) {
            return null;
        }
    }

    static String requireEmail(String email) {
        if (email == null || email.isBlank()) {
            throw GraphqlException.badInput("email must not be empty");
        }
        return email.trim();
    }

    /** A message of the realm's login theme in the caller's locale (as the login pages show it). */
    String message(String key, Object... parameters) {
        return ThemeMessages.text(session, key, parameters);
    }
}
