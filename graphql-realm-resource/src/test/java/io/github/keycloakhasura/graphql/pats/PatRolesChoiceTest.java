package io.github.keycloakhasura.graphql.pats;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PatRolesChoiceTest {

    private static final List<String> ALLOWED = List.of("manager", "user", "admin");

    private static ErrorCode refused(List<String> roles) {
        return assertThrows(GraphqlException.class, () -> KeycloakPats.chosen(roles, ALLOWED)).code();
    }

    @Test
    void defaultIsUserAndRolesMustBeTheCallersCurrentOnes() {
        assertEquals(List.of("user"), KeycloakPats.chosen(null, ALLOWED));
        assertEquals(List.of("user"), KeycloakPats.chosen(List.of(), ALLOWED));
        assertEquals(List.of("manager", "user"), KeycloakPats.chosen(List.of("manager", " user", "manager"), ALLOWED));
        assertEquals(ErrorCode.FORBIDDEN, refused(List.of("editor")));
        assertEquals(ErrorCode.FORBIDDEN, assertThrows(GraphqlException.class, () -> KeycloakPats.chosen(null, List.of("manager"))).code());
    }

    @Test
    void neverAdminNorAReservedNameEvenWhenTheCallerHasIt() {
        for (String role : List.of("admin", "Admin", "x-hasura-auth-elevated", "auth-elevated", "x-hasura-role", "user-id")) {
            assertEquals(ErrorCode.FORBIDDEN, refused(List.of("user", role)), role);
        }
        assertEquals(ErrorCode.BAD_USER_INPUT, refused(Arrays.asList("user", " ")));
    }
}
