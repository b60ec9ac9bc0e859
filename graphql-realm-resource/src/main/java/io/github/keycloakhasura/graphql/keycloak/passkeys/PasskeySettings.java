package io.github.keycloakhasura.graphql.keycloak.passkeys;

import io.github.keycloakhasura.graphql.api.GraphqlException;
import org.keycloak.models.RealmModel;

/**
 * The realm's switch for passkeys through GraphQL: realm attribute {@value #ATTRIBUTE}, off unless {@code "true"} (the
 * project's realm export turns it on). Off, every passkey operation (registration, sign-in, step-up with
 * {@code elevate(passkey:)}) is FORBIDDEN, checked by {@link #requireOn}; passkeys already registered still
 * work on Keycloak's own login page when its flows use them. (No {@code graphql.} prefix: the jar's shading would
 * rewrite it.)
 */
public final class PasskeySettings {

    public static final String ATTRIBUTE = "graphqlPasskeys";

    private PasskeySettings() {
    }

    public static boolean on(RealmModel realm) {
        return "true".equals(realm.getAttribute(ATTRIBUTE));
    }

    /** FORBIDDEN, naming the switch, unless passkeys are {@link #on}. */
    public static void requireOn(RealmModel realm) {
        if (!on(realm)) {
            throw GraphqlException.forbidden("Passkeys are off in this realm (realm attribute " + ATTRIBUTE + ")");
        }
    }
}
