package io.github.keycloakhasura.graphql.keycloak.passkeys;

import com.webauthn4j.data.client.Origin;
import org.keycloak.crypto.Algorithm;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.WebAuthnPolicy;
import org.keycloak.protocol.oidc.utils.WebOriginsUtils;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The realm's WebAuthn <b>Passwordless</b> policy ({@link RealmModel#getWebAuthnPolicyPasswordless()}) as passkeys
 * through GraphQL apply it: the rp id (the policy's, else Keycloak's host, as Keycloak's pages use), the algorithms as
 * COSE identifiers, and the origins an app may use: the client's web origins (explicit ones; {@code +} resolves to its
 * redirect URIs' origins; a {@code *} allows none) plus the policy's extra origins, as Keycloak's own check allows.
 */
public record PasskeyPolicy(WebAuthnPolicy policy, String rpId) {

    public static PasskeyPolicy of(KeycloakSession s) {
        RealmModel realm = s.getContext().getRealm();
        WebAuthnPolicy policy = realm.getWebAuthnPolicyPasswordless();
        String rpId = policy.getRpId();
        if (rpId == null || rpId.isBlank()) {
            rpId = s.getContext().getUri().getBaseUri().getHost();
        }
        return new PasskeyPolicy(policy, rpId);
    }

    /** Whether the policy's option is set (Keycloak stores "not specified" for unset ones). */
    public static boolean specified(String option) {
        return option != null && !option.isBlank() && !Constants.DEFAULT_WEBAUTHN_POLICY_NOT_SPECIFIED.equals(option);
    }

    public boolean userVerificationRequired() {
        return Constants.WEBAUTHN_POLICY_OPTION_REQUIRED.equals(policy.getUserVerificationRequirement());
    }

    /** How long a challenge lives: the policy's create timeout, else 5 minutes (seconds). */
    public int challengeSeconds() {
        return policy.getCreateTimeout() > 0 ? policy.getCreateTimeout() : 300;
    }

    public Set<Origin> origins(KeycloakSession s, ClientModel client) {
        Set<Origin> origins = new LinkedHashSet<>();
        for (String origin : WebOriginsUtils.resolveValidWebOrigins(s, client)) {
            if (!"*".equals(origin)) {
                origins.add(new Origin(origin));
            }
        }
        List<String> extra = policy.getExtraOrigins();
        if (extra != null) {
            extra.forEach(origin -> origins.add(new Origin(origin)));
        }
        return origins;
    }

    /** The policy's algorithms as COSE identifiers, in its order (Keycloak's default when it names none). */
    public List<Long> algorithms() {
        List<String> names = policy.getSignatureAlgorithm();
        if (names == null || names.isEmpty()) {
            names = List.of(Constants.DEFAULT_WEBAUTHN_POLICY_SIGNATURE_ALGORITHMS.split(","));
        }
        List<Long> ids = new ArrayList<>();
        for (String name : names) {
            Long id = switch (name) {
                case Algorithm.ES256 -> -7L;
                case Algorithm.ES384 -> -35L;
                case Algorithm.ES512 -> -36L;
                case Algorithm.RS256 -> -257L;
                case Algorithm.RS384 -> -258L;
                case Algorithm.RS512 -> -259L;
                case Algorithm.Ed25519 -> -8L;
                case "RS1" -> -65535L;
                default -> null;
            };
            if (id != null) {
                ids.add(id);
            }
        }
        return ids;
    }
}
