package io.github.keycloakhasura.mapper;

import java.util.Locale;
import java.util.Set;

/**
 * Hasura's reserved session variable names: the one rule saying which {@code x-hasura-*} names no option of the mapper
 * may produce (session variables from attributes, the groups variable) and which the webhook never takes from the
 * computed claims. Hasura reads session variable names case-insensitively, so {@code X-Hasura-ROLE} is
 * {@code x-hasura-role}; a name is compared with and without the {@code x-hasura-} prefix.
 *
 * <ul>
 *   <li>{@code role}: the role Hasura applies (the webhook answers it; in JWT mode the client's header picks it among
 *   the allowed roles);</li>
 *   <li>{@code allowed-roles}, {@code default-role}: the roles a token may use;</li>
 *   <li>{@code user-id}: written by the mapper from its user id source only;</li>
 *   <li>{@code admin-secret}, {@code access-key}, {@code use-backend-only-permissions}: headers Hasura treats as
 *   credentials or privileges, never a user's value;</li>
 *   <li>{@code auth-elevated}: written by the mapper only for a token issued within the elevation window of a
 *   step-up proof ({@link Elevation}), so a Hasura permission may rely on it.</li>
 * </ul>
 */
public final class HasuraReservedNames {

    public static final String PREFIX = "x-hasura-";
    public static final String ROLE = PREFIX + "role";
    public static final String ALLOWED_ROLES = PREFIX + "allowed-roles";
    public static final String DEFAULT_ROLE = PREFIX + "default-role";
    public static final String USER_ID = PREFIX + "user-id";
    public static final String AUTH_ELEVATED = PREFIX + "auth-elevated";

    private static final Set<String> RESERVED = Set.of(ROLE, ALLOWED_ROLES, DEFAULT_ROLE, USER_ID,
            PREFIX + "admin-secret", PREFIX + "access-key", PREFIX + "use-backend-only-permissions", AUTH_ELEVATED);

    /** The names that decide which Hasura role applies: never copied from the claims into the webhook's answer. */
    private static final Set<String> ROLE_NAMES = Set.of(ROLE, ALLOWED_ROLES, DEFAULT_ROLE);

    private HasuraReservedNames() {
    }

    /** {@code name} as Hasura reads it: lower case, with the {@code x-hasura-} prefix. */
    public static String normalize(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return lower.startsWith(PREFIX) ? lower : PREFIX + lower;
    }

    /** Whether {@code name} (any case, with or without {@code x-hasura-}) is one of Hasura's reserved names. */
    public static boolean isReserved(String name) {
        return name != null && RESERVED.contains(normalize(name));
    }

    /** Whether {@code name} names the role, the allowed roles or the default role (any case, with or without prefix). */
    public static boolean decidesRole(String name) {
        return name != null && ROLE_NAMES.contains(normalize(name));
    }

    /**
     * Refuses a reserved name produced by option {@code option}.
     *
     * @throws InvalidMapperConfigException naming the option, the value and why
     */
    static void refuse(String option, String name) {
        if (isReserved(name)) {
            throw new InvalidMapperConfigException(option + ": \"" + name + "\" would become \"" + normalize(name)
                    + "\", a name Hasura reserves (role, allowed-roles, default-role, user-id, admin-secret, access-key, "
                    + "use-backend-only-permissions, auth-elevated): no user attribute, group or claims query result may set it.");
        }
    }
}
