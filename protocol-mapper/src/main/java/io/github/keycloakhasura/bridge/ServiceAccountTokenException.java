package io.github.keycloakhasura.bridge;

/** Keycloak issued no service-account token; the message says why (no secret, no token in it). */
public final class ServiceAccountTokenException extends RuntimeException {

    public ServiceAccountTokenException(String message) {
        super(message);
    }
}
