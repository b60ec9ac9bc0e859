package io.github.keycloakhasura.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A passkey authenticator in the test JVM: one ES256 key pair of the JDK (P-256), a random credential id, "none"
 * attestation, the user-present and user-verified flags. {@link #create} and {@link #get} answer what
 * {@code navigator.credentials.create()} and {@code .get()} would, as the JSON browsers serialize ({@code toJSON()},
 * base64url); each takes the origin and rp id explicitly so tests can lie about them, and {@link #get} the counter.
 */
public final class SoftwareAuthenticator {

    private static final int UP = 0x01;
    private static final int UV = 0x04;
    private static final int AT = 0x40;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair keys;
    private final byte[] credentialId;
    private byte[] userHandle;
    private long counter;

    public SoftwareAuthenticator() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        credentialId = new byte[16];
        new SecureRandom().nextBytes(credentialId);
    }

    /**
     * An authenticator holding a credential made elsewhere (e.g. read from a browser's virtual authenticator): its
     * id, its private key (PKCS#8), its user handle (null when it kept none) and its signature counter. It can sign
     * in ({@link #get}), not register.
     */
    public SoftwareAuthenticator(byte[] credentialId, byte[] pkcs8PrivateKey, byte[] userHandle, long counter) {
        try {
            java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8PrivateKey));
            this.keys = new KeyPair(null, key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.credentialId = credentialId.clone();
        this.userHandle = userHandle == null ? null : userHandle.clone();
        this.counter = counter;
    }

    /** The private key as PKCS#8 (to hand the credential to a browser's virtual authenticator). */
    public byte[] privateKeyPkcs8() {
        return keys.getPrivate().getEncoded();
    }

    /** The user handle the credential was registered with (the user id bytes the options named). */
    public byte[] userHandle() {
        return userHandle == null ? null : userHandle.clone();
    }

    public KeyPair keys() {
        return keys;
    }

    public byte[] credentialId() {
        return credentialId.clone();
    }

    /** The credential id as the API and browsers write it (base64url). */
    public String id() {
        return B64.encodeToString(credentialId);
    }

    public long counter() {
        return counter;
    }

    /** navigator.credentials.create() for {@code options} (PublicKeyCredentialCreationOptions JSON) at {@code origin}. */
    public Map<String, Object> create(JsonNode options, String origin) {
        return create(options.get("challenge").asText(), options.path("user").path("id").asText(), origin,
                options.path("rp").path("id").asText());
    }

    /** The registration, with the rp id the authenticator hashes into its data (the options' unless a test lies). */
    public Map<String, Object> create(String challenge, String userId, String origin, String rpId) {
        userHandle = Base64.getUrlDecoder().decode(userId);
        byte[] clientData = clientData("webauthn.create", challenge, origin);
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(UP | UV | AT);
        authData.writeBytes(ByteBuffer.allocate(4).putInt((int) counter).array());
        authData.writeBytes(new byte[16]); // AAGUID: none
        authData.write(credentialId.length >> 8);
        authData.write(credentialId.length);
        authData.writeBytes(credentialId);
        authData.writeBytes(coseKey());
        Map<String, Object> attestation = new LinkedHashMap<>();
        attestation.put("fmt", "none");
        attestation.put("attStmt", Map.of());
        attestation.put("authData", authData.toByteArray());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("attestationObject", B64.encodeToString(Cbor.encode(attestation)));
        response.put("transports", java.util.List.of("internal"));
        return credential(response);
    }

    /** navigator.credentials.get() for {@code options} (PublicKeyCredentialRequestOptions JSON): the counter grows by one. */
    public Map<String, Object> get(JsonNode options, String origin) {
        return get(options.get("challenge").asText(), origin, options.get("rpId").asText(), counter + 1);
    }

    /** An assertion with the given origin, rp id and signature counter (which the authenticator then keeps). */
    public Map<String, Object> get(String challenge, String origin, String rpId, long signCount) {
        counter = signCount;
        byte[] clientData = clientData("webauthn.get", challenge, origin);
        ByteArrayOutputStream authData = new ByteArrayOutputStream();
        authData.writeBytes(sha256(rpId.getBytes(StandardCharsets.UTF_8)));
        authData.write(UP | UV);
        authData.writeBytes(ByteBuffer.allocate(4).putInt((int) signCount).array());
        byte[] data = authData.toByteArray();
        byte[] signature;
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(data);
            signer.update(sha256(clientData));
            signature = signer.sign(); // DER, as WebAuthn's ES256 wants it
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("authenticatorData", B64.encodeToString(data));
        response.put("signature", B64.encodeToString(signature));
        response.put("userHandle", userHandle == null ? null : B64.encodeToString(userHandle));
        return credential(response);
    }

    private Map<String, Object> credential(Map<String, Object> response) {
        Map<String, Object> credential = new LinkedHashMap<>();
        credential.put("id", id());
        credential.put("rawId", id());
        credential.put("type", "public-key");
        credential.put("authenticatorAttachment", "platform");
        credential.put("response", response);
        credential.put("clientExtensionResults", Map.of());
        return credential;
    }

    private static byte[] clientData(String type, String challenge, String origin) {
        String json = "{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin
                + "\",\"crossOrigin\":false}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The public key as a COSE_Key: EC2 (kty 2), ES256 (alg -7), P-256 (crv 1), x, y. */
    private byte[] coseKey() {
        ECPublicKey key = (ECPublicKey) keys.getPublic();
        Map<Object, Object> cose = new LinkedHashMap<>();
        cose.put(1, 2);
        cose.put(3, -7);
        cose.put(-1, 1);
        cose.put(-2, unsigned32(key.getW().getAffineX()));
        cose.put(-3, unsigned32(key.getW().getAffineY()));
        return Cbor.encode(cose);
    }

    private static byte[] unsigned32(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes.length == 32) {
            return bytes;
        }
        byte[] out = new byte[32];
        if (bytes.length > 32) {
            System.arraycopy(bytes, bytes.length - 32, out, 0, 32);
        } else {
            System.arraycopy(bytes, 0, out, 32 - bytes.length, bytes.length);
        }
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SoftwareAuthenticator" + Arrays.toString(credentialId);
    }
}
