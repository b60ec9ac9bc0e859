package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.variables.SessionVariables;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The webhook's HTTP answer for each kind of {@link SessionVariables} that carries no variables. */
class WebhookRefusalsTest {

    @Test
    void noMapperNoRoleEndedSessionAndNonMemberAre401Unauthorized() {
        assertRefusal(new SessionVariables.NoMapper(), Response.Status.UNAUTHORIZED, "unauthorized",
                "The token's client has no Hasura claims mapper.");
        assertRefusal(new SessionVariables.NoRole(), Response.Status.UNAUTHORIZED, "unauthorized",
                "This user has no Hasura role that may be issued.");
        assertRefusal(new SessionVariables.SessionEnded(), Response.Status.UNAUTHORIZED, "unauthorized",
                "The token's client session has ended.");
        assertRefusal(new SessionVariables.NotMember("org-1"), Response.Status.UNAUTHORIZED, "unauthorized",
                "Not a member of organization 'org-1'.");
    }

    @Test
    void anInvalidConfigIs409InvalidMapperConfig() {
        assertRefusal(new SessionVariables.InvalidConfig("hasura-app", "two Hasura mappers"), Response.Status.CONFLICT,
                "invalid_mapper_config", "two Hasura mappers");
    }

    @Test
    void aFailedClaimsQueryIs503ClaimsUnavailable() {
        assertRefusal(new SessionVariables.Unavailable("timed out"), Response.Status.SERVICE_UNAVAILABLE,
                "claims_unavailable", "timed out");
    }

    @Test
    void variablesAreNoRefusal() {
        assertThrows(IllegalArgumentException.class,
                () -> WebhookEndpoint.refusal(new SessionVariables.Variables(Map.of("x-hasura-default-role", "user"))));
    }

    private static void assertRefusal(SessionVariables kind, Response.Status status, String error, String description) {
        HasuraRequestException refusal = WebhookEndpoint.refusal(kind);
        assertEquals(status, refusal.status(), kind.toString());
        assertEquals(error, refusal.error(), kind.toString());
        assertEquals(description, refusal.getMessage(), kind.toString());
    }
}
