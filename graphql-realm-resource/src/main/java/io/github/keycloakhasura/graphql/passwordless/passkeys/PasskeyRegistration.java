package io.github.keycloakhasura.graphql.passwordless.passkeys;

import io.github.keycloakhasura.graphql.keycloak.passkeys.Challenges;
import io.github.keycloakhasura.graphql.keycloak.passkeys.CredentialJson;
import io.github.keycloakhasura.graphql.keycloak.passkeys.PasskeyPolicy;
import com.webauthn4j.WebAuthnRegistrationManager;
import com.webauthn4j.anchor.KeyStoreTrustAnchorRepository;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.AttestationConveyancePreference;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.attestation.statement.AttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.androidkey.AndroidKeyAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.androidsafetynet.AndroidSafetyNetAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.none.NoneAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.tpm.TPMAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.statement.u2f.FIDOU2FAttestationStatementVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.CertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.DefaultCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.certpath.NullCertPathTrustworthinessVerifier;
import com.webauthn4j.verifier.attestation.trustworthiness.self.DefaultSelfAttestationTrustworthinessVerifier;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.WebAuthnCredentialModelInput;
import org.keycloak.credential.WebAuthnCredentialProvider;
import org.keycloak.credential.WebAuthnPasswordlessCredentialProviderFactory;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.WebAuthnPolicy;
import org.keycloak.models.credential.WebAuthnCredentialModel;
import org.keycloak.truststore.TruststoreProvider;

import java.util.ArrayList;
import java.util.List;

/**
 * passkeyRegister's check and store, as Keycloak's {@code WebAuthnRegister} required action does it: the challenge
 * (single use, issued to this user for a registration), webauthn4j's registration manager with the same attestation
 * verifiers and trust anchors (Keycloak's truststore), the policy's algorithms and user verification, its acceptable
 * AAGUIDs; then Keycloak's {@code webauthn-passwordless} credential provider stores it.
 */
final class PasskeyRegistration {

    private PasskeyRegistration() {
    }

    /** The stored credential's id; INVALID_CREDENTIAL when the response does not verify. */
    static String register(KeycloakSession s, UserModel user, ClientModel client, CredentialJson credential, String label) {
        String challenge = credential.challenge();
        Challenges.Issued issued = Challenges.take(s, challenge);
        if (issued == null || issued.purpose() != Challenges.Purpose.REGISTER || !user.getId().equals(issued.userId())) {
            throw CredentialJson.invalid("unknown, expired or used challenge: ask passkeyRegistrationOptions for a new one");
        }
        PasskeyPolicy passkeys = PasskeyPolicy.of(s);
        WebAuthnPolicy policy = passkeys.policy();
        ServerProperty server = new ServerProperty(passkeys.origins(s, client), passkeys.rpId(), new DefaultChallenge(challenge));
        List<PublicKeyCredentialParameters> algorithms = passkeys.algorithms().stream()
                .map(alg -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.create(alg)))
                .toList();
        RegistrationRequest request = new RegistrationRequest(credential.field("attestationObject"), credential.clientDataJson(),
                credential.transports());
        RegistrationData data;
        try {
            WebAuthnRegistrationManager manager = manager(s, policy);
            data = manager.parse(request);
            manager.verify(data, new RegistrationParameters(server, algorithms, passkeys.userVerificationRequired()));
        } catch (RuntimeException e) {
            throw CredentialJson.invalid(CredentialJson.reason(e));
        }
        AttestedCredentialData attested = data.getAttestationObject() == null ? null
                : data.getAttestationObject().getAuthenticatorData().getAttestedCredentialData();
        if (attested == null) {
            throw CredentialJson.invalid("no attested credential data");
        }
        List<String> aaguids = policy.getAcceptableAaguids();
        if (aaguids != null && !aaguids.isEmpty() && (NoneAttestationStatement.FORMAT.equals(data.getAttestationObject().getFormat())
                || !aaguids.contains(attested.getAaguid().toString()))) {
            throw CredentialJson.invalid("the realm's policy does not accept this authenticator (AAGUID)");
        }
        if (PasskeyPolicy.specified(policy.getAuthenticatorAttachment())
                && !policy.getAuthenticatorAttachment().equals(credential.authenticatorAttachment())) {
            throw CredentialJson.invalid("the realm's policy requires a " + policy.getAuthenticatorAttachment() + " authenticator");
        }
        WebAuthnCredentialModelInput input = new WebAuthnCredentialModelInput(WebAuthnCredentialModel.TYPE_PASSWORDLESS);
        input.setAttestedCredentialData(attested);
        input.setCount(data.getAttestationObject().getAuthenticatorData().getSignCount());
        input.setAttestationStatementFormat(data.getAttestationObject().getFormat());
        input.setTransports(data.getTransports());
        WebAuthnCredentialProvider provider = provider(s);
        WebAuthnCredentialModel model = provider.getCredentialModelFromCredentialInput(input, label);
        return provider.createCredential(s.getContext().getRealm(), user, model).getId();
    }

    static WebAuthnCredentialProvider provider(KeycloakSession s) {
        return (WebAuthnCredentialProvider) s.getProvider(CredentialProvider.class, WebAuthnPasswordlessCredentialProviderFactory.PROVIDER_ID);
    }

    /** As {@code WebAuthnRegister#createWebAuthnRegistrationManager} and {@code WebAuthnRegisterFactory#create}. */
    private static WebAuthnRegistrationManager manager(KeycloakSession s, WebAuthnPolicy policy) {
        List<AttestationStatementVerifier> verifiers = new ArrayList<>(6);
        String preference = policy.getAttestationConveyancePreference();
        if (!PasskeyPolicy.specified(preference) || AttestationConveyancePreference.NONE.getValue().equals(preference)) {
            verifiers.add(new NoneAttestationStatementVerifier());
        }
        verifiers.add(new PackedAttestationStatementVerifier());
        verifiers.add(new TPMAttestationStatementVerifier());
        verifiers.add(new AndroidKeyAttestationStatementVerifier());
        verifiers.add(new AndroidSafetyNetAttestationStatementVerifier());
        verifiers.add(new FIDOU2FAttestationStatementVerifier());
        DefaultSelfAttestationTrustworthinessVerifier self = new DefaultSelfAttestationTrustworthinessVerifier();
        List<String> aaguids = policy.getAcceptableAaguids();
        self.setSelfAttestationAllowed(aaguids == null || aaguids.isEmpty());
        TruststoreProvider truststore = s.getProvider(TruststoreProvider.class);
        CertPathTrustworthinessVerifier trust = truststore == null || truststore.getTruststore() == null
                ? new NullCertPathTrustworthinessVerifier()
                : new DefaultCertPathTrustworthinessVerifier(new KeyStoreTrustAnchorRepository(truststore.getTruststore()));
        return new WebAuthnRegistrationManager(verifiers, trust, self, List.of(), new ObjectConverter());
    }
}
