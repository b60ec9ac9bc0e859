package io.github.keycloakhasura.graphql.passwordless.passkeys;

import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeySettings;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.keycloak.account.Self;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@link Passkeys} port on Keycloak, one per HTTP request: the bearer operations for the verified caller found
 * again in the operation's Keycloak session ({@link Self}), passkeyLoginOptions for the configured client; the
 * realm's switch ({@link PasskeySettings}) checked first.
 */
public final class KeycloakPasskeys implements Passkeys {

    /** What this package uses of the GraphQL endpoint's Keycloak side ({@code graphql.keycloak} implements it). */
    public interface Side {
        /** {@code work} for the caller in a transaction of {@code mode}, as the self-service operations run. */
        <T> T asCaller(Caller caller, TransactionMode mode, String name, Function<Self, T> work);

        /** {@code work} in a transaction of its own. */
        <T> T own(String name, Function<KeycloakSession, T> work);
    }

    /** What passkeyLoginOptions binds a challenge to when the username is unknown: no user can answer it. */
    static final String NO_USER = "-";

    private final Side side;

    public KeycloakPasskeys(Side side) {
        this.side = side;
    }

    @Override
    public Map<String, Object> registrationOptions(Caller caller) {
        return side.asCaller(caller, TransactionMode.OWN, "passkeyRegistrationOptions", self -> {
            PasskeySettings.requireOn(self.realm());
            return UserPasskeys.options(self);
        });
    }

    @Override
    public boolean register(Caller caller, Map<String, Object> credential, String label, String password, TransactionMode mode) {
        return side.asCaller(caller, mode, "passkeyRegister", self -> {
            PasskeySettings.requireOn(self.realm());
            return UserPasskeys.register(self, credential, label, password);
        });
    }

    @Override
    public Map<String, Object> loginOptions(String username) {
        return side.own("passkeyLoginOptions", s -> {
            RealmModel realm = s.getContext().getRealm();
            PasskeySettings.requireOn(realm);
            if (username == null || username.isBlank()) {
                return PasskeyOptions.request(s, null, null, null);
            }
            UserModel user = s.users().getUserByUsername(realm, username.trim());
            if (user == null && realm.isLoginWithEmailAllowed() && username.contains("@")) {
                user = s.users().getUserByEmail(realm, username.trim());
            }
            return user == null || !user.isEnabled() ? PasskeyOptions.request(s, NO_USER, null, username)
                    : PasskeyOptions.request(s, user.getId(), user, username);
        });
    }

    @Override
    public List<Passkey> list(Caller caller) {
        return side.asCaller(caller, TransactionMode.REQUEST, "passkeys", self -> {
            PasskeySettings.requireOn(self.realm());
            return UserPasskeys.list(self);
        });
    }

    @Override
    public boolean remove(Caller caller, String id, String password, TransactionMode mode) {
        return side.asCaller(caller, mode, "passkeyRemove", self -> {
            PasskeySettings.requireOn(self.realm());
            return UserPasskeys.remove(self, id, password);
        });
    }
}
