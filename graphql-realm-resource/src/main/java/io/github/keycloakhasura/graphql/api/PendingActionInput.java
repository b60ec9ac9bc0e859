package io.github.keycloakhasura.graphql.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What tokenAuth was given to complete the user's pending required actions at login (each may be absent).
 *
 * @param newPassword completes UPDATE_PASSWORD
 * @param acceptTerms true completes TERMS_AND_CONDITIONS (the user accepted the realm's terms)
 * @param profile     user-profile attributes ({@code name: value or [values]}) completing UPDATE_PROFILE / VERIFY_PROFILE
 */
public record PendingActionInput(String newPassword, boolean acceptTerms, Map<String, Object> profile) {

    public static final PendingActionInput NONE = new PendingActionInput(null, false, null);

    public PendingActionInput {
        profile = profile == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(profile)); // JSON nulls kept
    }
}
