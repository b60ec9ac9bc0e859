package io.github.keycloakhasura.graphql.passwordless.passkeys;

import io.github.keycloakhasura.graphql.keycloak.passkeys.CredentialJson;
import io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeyUse;
import io.github.keycloakhasura.graphql.api.GraphqlException;
import io.github.keycloakhasura.graphql.keycloak.account.Reauthentication;
import io.github.keycloakhasura.graphql.keycloak.account.Self;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.credential.WebAuthnCredentialModel;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The caller's passkeys: register (passkeyRegister), list (passkeys), remove (passkeyRemove). Adding or removing one
 * changes how the account signs in, so both need a proof beyond the access token ({@link Reauthentication}: the
 * password, or a login within the {@value #REQUIRED_ACTION} required action's max_auth_age, 300 s by default), and
 * are recorded as Keycloak's account console records them (UPDATE_CREDENTIAL / REMOVE_CREDENTIAL events).
 */
final class UserPasskeys {

    /** Keycloak's required action registering passkeys; its {@code max_auth_age} governs the re-authentication. */
    static final String REQUIRED_ACTION = "webauthn-register-passwordless";
    private static final String TYPE = WebAuthnCredentialModel.TYPE_PASSWORDLESS;

    private UserPasskeys() {
    }

    static Map<String, Object> options(Self self) {
        return PasskeyOptions.creation(self.session(), self.user());
    }

    static boolean register(Self self, Map<String, Object> json, String label, String password) {
        CredentialJson credential = CredentialJson.of(json);
        Reauthentication.require(self, password, REQUIRED_ACTION);
        EventBuilder event = self.event(EventType.UPDATE_CREDENTIAL).detail(Details.CREDENTIAL_TYPE, TYPE);
        String name = label == null || label.isBlank() ? defaultLabel(self) : label.trim();
        if (name.length() > 255) {
            throw GraphqlException.badInput("label must be at most 255 characters");
        }
        String id;
        try {
            id = PasskeyRegistration.register(self.session(), self.user(), self.client(), credential, name);
        } catch (GraphqlException e) {
            event.detail(Details.REASON, e.getMessage()).error(Errors.INVALID_USER_CREDENTIALS);
            throw e;
        } catch (ModelDuplicateException e) {
            throw GraphqlException.badInput("A passkey with this label exists already: choose another label");
        }
        event.detail(Details.CREDENTIAL_ID, id).success();
        return true;
    }

    static List<Passkeys.Passkey> list(Self self) {
        return self.user().credentialManager().getStoredCredentialsByTypeStream(TYPE)
                .map(model -> new Passkeys.Passkey(model.getId(), model.getUserLabel(), iso(model.getCreatedDate()),
                        iso(PasskeyUse.lastUsed(self.user(), model.getId()))))
                .toList();
    }

    static boolean remove(Self self, String id, String password) {
        CredentialModel model = id == null || id.isBlank() ? null : self.user().credentialManager().getStoredCredentialById(id);
        if (model == null || !TYPE.equals(model.getType())) {
            throw GraphqlException.notFound("No passkey of yours has this id");
        }
        Reauthentication.require(self, password, REQUIRED_ACTION);
        PasskeyRegistration.provider(self.session()).deleteCredential(self.realm(), self.user(), model.getId());
        PasskeyUse.forget(self.user(), model.getId());
        self.event(EventType.REMOVE_CREDENTIAL).detail(Details.CREDENTIAL_TYPE, TYPE).detail(Details.CREDENTIAL_ID, model.getId()).success();
        return true;
    }

    /** "Passkey", "Passkey 2", ...: the first label no passkey of the user has. */
    private static String defaultLabel(Self self) {
        List<String> labels = self.user().credentialManager().getStoredCredentialsByTypeStream(TYPE)
                .map(CredentialModel::getUserLabel).toList();
        String label = "Passkey";
        for (int n = 2; labels.contains(label); n++) {
            label = "Passkey " + n;
        }
        return label;
    }

    private static String iso(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
