package io.github.keycloakhasura.mapper;

/**
 * Why one claims query gave no values: {@link #getMessage()} is short and safe to show a client (no URL, query or
 * token); {@link #detail()} adds what the server log needs (Hasura's own error message).
 */
public final class ClaimsQueryFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final String detail;

    public ClaimsQueryFailure(String message, String detail) {
        super(message, null, false, false);
        this.detail = detail;
    }

    public ClaimsQueryFailure(String message) {
        this(message, null);
    }

    /** The message, with Hasura's own words when it gave some. */
    public String detail() {
        return detail == null ? getMessage() : getMessage() + ": " + detail;
    }
}
