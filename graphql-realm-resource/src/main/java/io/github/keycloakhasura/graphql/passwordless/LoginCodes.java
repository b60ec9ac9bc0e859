package io.github.keycloakhasura.graphql.passwordless;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The emailed 6-digit codes, in Keycloak's single-use object store (cluster-wide, expiring by themselves): one live
 * code per user, stored as a hash with its id and the key of the link sent with it. Wrong tries are counted
 * atomically, cluster-wide ({@code putIfAbsent} of one entry per try, under the code's id); the
 * {@value #MAX_TRIES}th voids the code, however many requests race. Each wrong try is also a failed login for Keycloak's brute-force
 * protector (the authenticator reports it).
 */
final class LoginCodes {

    static final int MAX_TRIES = 5;
    private static final String KEY = "graphql-login-code.";
    private static final String HASH = "hash";
    private static final String ID = "id";
    private static final String LIFESPAN = "lifespan";
    private static final String LINK_KEY = "link";

    /** What a code try found. */
    enum Check { RIGHT, WRONG, NONE }

    private LoginCodes() {
    }

    /** A new code for {@code user}, replacing any earlier one, alive for {@code seconds}. */
    static String issue(KeycloakSession s, UserModel user, String linkKey, int seconds) {
        String code = SecretGenerator.getInstance().randomString(6, SecretGenerator.DIGITS);
        s.singleUseObjects().put(key(s, user), seconds, Map.of(HASH, hash(user, code), ID, UUID.randomUUID().toString(),
                LIFESPAN, String.valueOf(seconds), LINK_KEY, linkKey));
        return code;
    }

    /** Checks a try without using the code up; a wrong try counts, the last allowed one voids the code. */
    static Check check(KeycloakSession s, UserModel user, String code) {
        String key = key(s, user);
        Map<String, String> notes = s.singleUseObjects().get(key);
        if (notes == null || notes.get(HASH) == null) {
            return Check.NONE;
        }
        if (code != null && MessageDigest.isEqual(hash(user, code.trim()).getBytes(StandardCharsets.UTF_8),
                notes.get(HASH).getBytes(StandardCharsets.UTF_8))) {
            return Check.RIGHT;
        }
        long lifespan = Long.parseLong(notes.getOrDefault(LIFESPAN, "300"));
        for (int wrong = 1; wrong <= MAX_TRIES; wrong++) {
            if (s.singleUseObjects().putIfAbsent(KEY + "wrong." + notes.get(ID) + "." + wrong, lifespan)) {
                if (wrong == MAX_TRIES) {
                    s.singleUseObjects().remove(key);
                }
                return Check.WRONG;
            }
        }
        s.singleUseObjects().remove(key); // tries beyond the last raced past it
        return Check.WRONG;
    }

    /** Uses the code up; its link's key (to use the link up too), or null when another request used it first. */
    static String consume(KeycloakSession s, UserModel user) {
        Map<String, String> notes = s.singleUseObjects().remove(key(s, user));
        return notes == null ? null : notes.getOrDefault(LINK_KEY, "");
    }

    /** Voids the user's code (the link sent with it was used). */
    static void discard(KeycloakSession s, UserModel user) {
        s.singleUseObjects().remove(key(s, user));
    }

    private static String key(KeycloakSession s, UserModel user) {
        return KEY + s.getContext().getRealm().getId() + "." + user.getId();
    }

    /** Bound to the user: a stored hash says nothing about another user's code. */
    private static String hash(UserModel user, String code) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((user.getId() + ":" + code).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
