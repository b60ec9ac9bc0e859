package io.github.keycloakhasura.graphql.api;

import io.github.keycloakhasura.variables.SessionVariables;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HasuraVariablesTest {

    @Test
    void variablesAreTheClaims() {
        Map<String, Object> claims = Map.of("x-hasura-default-role", "user");
        assertEquals(claims, HasuraVariables.claimsOrNull(new SessionVariables.Variables(claims)));
    }

    @Test
    void noMapperNoRoleAndAnEndedSessionAreNoVariables() {
        assertNull(HasuraVariables.claimsOrNull(new SessionVariables.NoMapper()));
        assertNull(HasuraVariables.claimsOrNull(new SessionVariables.NoRole()));
        assertNull(HasuraVariables.claimsOrNull(new SessionVariables.SessionEnded()));
    }

    @Test
    void anInvalidConfigIsInvalidMapperConfigNamingTheClient() {
        GraphqlException e = assertThrows(GraphqlException.class,
                () -> HasuraVariables.claimsOrNull(new SessionVariables.InvalidConfig("hasura-app", "two Hasura mappers")));
        assertEquals(ErrorCode.INVALID_MAPPER_CONFIG, e.code());
        assertEquals("The Hasura claims mapper of client 'hasura-app' has invalid options, so no Hasura role can be computed: "
                + "two Hasura mappers", e.getMessage());
    }

    @Test
    void aFailedClaimsQueryIsClaimsUnavailable() {
        GraphqlException e = assertThrows(GraphqlException.class,
                () -> HasuraVariables.claimsOrNull(new SessionVariables.Unavailable("the claims query timed out")));
        assertEquals(ErrorCode.CLAIMS_UNAVAILABLE, e.code());
        assertEquals("the claims query timed out", e.getMessage());
    }
}
