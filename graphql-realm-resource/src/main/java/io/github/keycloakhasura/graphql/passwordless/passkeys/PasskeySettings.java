package io.github.keycloakhasura.graphql.passwordless.passkeys;

import org.keycloak.models.RealmModel;

/**
 * The realm's switch for passkeys through GraphQL: realm attribute {@value #ATTRIBUTE}, off unless {@code "true"} (the
 * project's realm export turns it on). Off, every passkey operation is FORBIDDEN; passkeys already registered still
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
}
