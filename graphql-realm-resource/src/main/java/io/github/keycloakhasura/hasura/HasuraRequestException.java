package io.github.keycloakhasura.hasura;

import io.github.keycloakhasura.mapper.InvalidMapperConfigException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** A request the Hasura helper endpoints refuse: an HTTP status and a JSON {@code {error, error_description}} body. */
final class HasuraRequestException extends RuntimeException {

    private final Response.Status status;
    private final String error;

    HasuraRequestException(Response.Status status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    /** The one answer of every Hasura endpoint to a stored mapper configuration that makes no sense: 409. */
    static HasuraRequestException invalidMapperConfig(InvalidMapperConfigException e) {
        return invalidMapperConfig(e.getMessage());
    }

    static HasuraRequestException invalidMapperConfig(String reason) {
        return new HasuraRequestException(Response.Status.CONFLICT, "invalid_mapper_config", reason);
    }

    Response.Status status() {
        return status;
    }

    String error() {
        return error;
    }

    Response toResponse() {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(Map.of("error", error, "error_description", getMessage())).build();
    }
}
