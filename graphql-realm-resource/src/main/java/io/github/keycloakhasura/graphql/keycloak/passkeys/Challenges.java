package io.github.keycloakhasura.graphql.keycloak.passkeys;

import org.keycloak.common.util.Base64Url;
import org.keycloak.models.KeycloakSession;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * The challenges of passkey options, in Keycloak's single-use object store (cluster-wide, expiring by themselves):
 * one entry per challenge with what it was issued for (registration or sign-in) and for whom. Taking one removes it
 * atomically, so a challenge verifies at most one response, however many requests race, here or on another node.
 */
public final class Challenges {

    public enum Purpose { REGISTER, LOGIN }

    /** What a challenge was issued for; {@code userId} null for a sign-in without username. */
    public record Issued(Purpose purpose, String userId) {
    }

    private static final String KEY = "graphql-passkey-challenge.";
    private static final String PURPOSE = "purpose";
    private static final String USER = "user";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Challenges() {
    }

    /** A new random challenge (32 bytes, base64url as in the options) alive for {@code seconds}. */
    public static String issue(KeycloakSession s, Purpose purpose, String userId, int seconds) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String challenge = Base64Url.encode(bytes);
        Map<String, String> notes = new HashMap<>();
        notes.put(PURPOSE, purpose.name());
        if (userId != null) {
            notes.put(USER, userId);
        }
        s.singleUseObjects().put(key(s, challenge), seconds, notes);
        return challenge;
    }

    /** What the challenge was issued for without using it up, or null when unknown, expired or used. */
    public static Issued peek(KeycloakSession s, String challenge) {
        return issued(s.singleUseObjects().get(key(s, challenge)));
    }

    /** Uses the challenge up: what it was issued for, or null when unknown, expired or used already. */
    public static Issued take(KeycloakSession s, String challenge) {
        return issued(s.singleUseObjects().remove(key(s, challenge)));
    }

    private static Issued issued(Map<String, String> notes) {
        if (notes == null || notes.get(PURPOSE) == null) {
            return null;
        }
        return new Issued(Purpose.valueOf(notes.get(PURPOSE)), notes.get(USER));
    }

    private static String key(KeycloakSession s, String challenge) {
        return KEY + s.getContext().getRealm().getId() + "." + challenge;
    }
}
