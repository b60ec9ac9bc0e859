package io.github.keycloakhasura.mapper;

/** A mapper configuration value that makes no sense; the message is shown to the admin as is. */
public class InvalidMapperConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidMapperConfigException(String message) {
        super(message);
    }
}
