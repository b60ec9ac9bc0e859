package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.outage.RequestTransaction;
import org.keycloak.models.KeycloakSession;

import io.github.keycloakhasura.outage.DatabaseOutage;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * The webhook's answer when the database cannot be reached ({@link DatabaseOutage}): 503
 * {@code temporarily_unavailable} with {@code Retry-After}, which Hasura takes as an error (the request is denied,
 * nobody is let in) and a client may retry; never Keycloak's 500 with its generic {@code unknown_error}. The stack
 * trace goes to the server log under the id in the description; any other failure goes on to Keycloak unchanged.
 */
final class OutageAnswer {

    private static final Logger LOG = Logger.getLogger(OutageAnswer.class);
    static final String ERROR = "temporarily_unavailable";

    private OutageAnswer() {
    }

    static Response guard(KeycloakSession session, String endpoint, Supplier<Response> answer) {
        try {
            Response response = answer.get();
            RequestTransaction.end(session); // a commit that fails for an outage is answered here too
            return response;
        } catch (RuntimeException e) {
            if (!DatabaseOutage.isCause(e)) {
                throw e;
            }
            RequestTransaction.abandon(session); // else Keycloak commits it at close, fails, and answers 500 instead
            String id = UUID.randomUUID().toString();
            LOG.warnf(e, "Hasura %s failed: the database cannot be reached (error id %s)", endpoint, id);
            Response unavailable = new HasuraRequestException(Response.Status.SERVICE_UNAVAILABLE, ERROR,
                    DatabaseOutage.MESSAGE + " (error id " + id + ")").toResponse();
            return Response.fromResponse(unavailable).header("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS).build();
        }
    }
}
