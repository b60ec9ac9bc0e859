package io.github.keycloakhasura.graphql.directory;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UserPagingTest {

    @Test
    void defaultsToTheMaximumPageFromTheStart() {
        assertEquals(new UserPaging(0, 100), UserPaging.of(null, null, 100));
        assertEquals(new UserPaging(0, 5), UserPaging.of(5, "", 100));
    }

    @Test
    void cursorsRoundTrip() {
        UserPaging first = UserPaging.of(20, null, 100);
        UserPaging second = UserPaging.of(20, first.next(), 100);
        assertEquals(20, second.offset());
        assertEquals(40, UserPaging.of(20, second.next(), 100).offset());
    }

    @Test
    void boundsAndBogusCursorsAreBadInput() {
        for (Integer first : new Integer[]{0, -1, 101}) {
            GraphqlException e = assertThrows(GraphqlException.class, () -> UserPaging.of(first, null, 100));
            assertEquals(ErrorCode.BAD_USER_INPUT, e.code());
        }
        for (String after : new String[]{"bogus", "dXNlcnM6LTE", "dXNlcnM6eA", "%%%"}) {
            GraphqlException e = assertThrows(GraphqlException.class, () -> UserPaging.of(10, after, 100));
            assertEquals(ErrorCode.BAD_USER_INPUT, e.code(), after);
        }
    }
}
