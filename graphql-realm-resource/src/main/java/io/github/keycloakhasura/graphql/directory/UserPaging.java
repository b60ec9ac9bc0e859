package io.github.keycloakhasura.graphql.directory;

import io.github.keycloakhasura.graphql.api.GraphqlException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Page arguments of users/usersPage: {@code first} (1 to max-page-size, default max-page-size) and {@code after}
 * (an opaque cursor, the {@code endCursor} of the previous page). Keycloak pages by offset, so a cursor is an
 * encoded offset; it is only meant to be passed back.
 */
record UserPaging(int offset, int size) {

    private static final String PREFIX = "users:";

    static UserPaging of(Integer first, String after, int maxPageSize) {
        int size = first == null ? maxPageSize : first;
        if (size < 1 || size > maxPageSize) {
            throw GraphqlException.badInput("first must be between 1 and " + maxPageSize);
        }
        return new UserPaging(after == null || after.isBlank() ? 0 : decode(after), size);
    }

    static String cursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + offset).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor that continues after this page. */
    String next() {
        return cursor(offset + size);
    }

    private static int decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                int offset = Integer.parseInt(text.substring(PREFIX.length()));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below (NumberFormatException is an IllegalArgumentException)
        }
        throw GraphqlException.badInput("after is not a cursor returned by usersPage");
    }
}
