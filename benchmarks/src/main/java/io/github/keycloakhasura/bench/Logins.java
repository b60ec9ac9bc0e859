package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.function.Supplier;

/**
 * Set-up logins (password grants) that must succeed. Keycloak's brute-force protector refuses a second login of a
 * user while it still accounts for the first (off the request thread, slower on a loaded machine): tried again a few
 * times.
 */
final class Logins {

    private static final int ATTEMPTS = 10;

    private Logins() {
    }

    /** {@link BenchRealm#login}, tried again after half a second while it is refused. */
    static JsonNode retrying(BenchRealm realm, String realmName, String clientId, String username, String scope) {
        return retrying(() -> realm.login(realmName, clientId, username, scope));
    }

    /** A set-up call that checks a password (a login, an elevation), tried again after half a second while it fails. */
    static <T> T retrying(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (IllegalStateException refused) {
                if (attempt == ATTEMPTS) {
                    throw refused;
                }
                pause(refused);
            }
        }
    }

    private static void pause(IllegalStateException refused) {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused;
        }
    }
}
