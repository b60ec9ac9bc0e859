package io.github.keycloakhasura.graphql.organizations;

import io.github.keycloakhasura.graphql.api.ErrorCode;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OrganizationFetchersTest {

    @Test
    void aMembersCursorIsTheOffsetItWasMadeFromAndNothingElseIsAccepted() {
        assertEquals(0, OrganizationFetchers.offset(null));
        assertEquals(0, OrganizationFetchers.offset(" "));
        assertEquals(150, OrganizationFetchers.offset(OrganizationFetchers.cursor(150)));
        for (String bad : new String[] {"x", "bWVtYmVyczotMQ", "dXNlcnM6NTA", "!!"}) {
            GraphqlException e = assertThrows(GraphqlException.class, () -> OrganizationFetchers.offset(bad), bad);
            assertEquals(ErrorCode.BAD_USER_INPUT, e.code());
        }
    }
}
