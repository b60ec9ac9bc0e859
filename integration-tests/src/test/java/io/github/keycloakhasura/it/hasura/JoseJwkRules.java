package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECFieldFp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which JWKs Hasura can use, by the rules of the Haskell {@code jose} package it parses {@code jwk_url} with
 * ({@code Crypto.JOSE.JWK}, {@code Crypto.JOSE.JWA.JWK}, {@code Crypto.JOSE.Types}; read, not copied).
 * Hasura decodes the whole document as one {@code JWKSet} ({@code Hasura.Server.Auth.JWT.fetchJwk}), so a single
 * key jose cannot parse makes Hasura refuse every token. {@link #parseProblems} are jose's parse rules;
 * {@link #verificationProblems} add what a key needs to verify Keycloak's tokens (a JWS algorithm jose's
 * {@code verify} pairs with the key type, {@code use} sig, no private material, jose's RSA size bound).
 */
final class JoseJwkRules {

    static final Set<String> KEY_TYPES = Set.of("EC", "RSA", "oct", "OKP");
    static final Set<String> JWS_ALGS = Set.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384",
            "ES512", "ES256K", "PS256", "PS384", "PS512", "none", "EdDSA");
    static final Set<String> JWE_ALGS = Set.of("RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "A128KW", "A192KW", "A256KW", "dir",
            "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW",
            "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW");
    static final Set<String> KEY_OPS = Set.of("sign", "verify", "encrypt", "decrypt", "wrapKey", "unwrapKey", "deriveKey", "deriveBits");
    /** Coordinate sizes in octets per EC curve (jose's ecCoordBytes) and the JDK curve name for the on-curve check. */
    static final Map<String, Integer> EC_COORD_BYTES = Map.of("P-256", 32, "P-384", 48, "P-521", 66, "secp256k1", 32);
    static final Map<String, String> EC_JDK_NAMES = Map.of("P-256", "secp256r1", "P-384", "secp384r1", "P-521", "secp521r1");
    static final Map<String, Integer> OKP_KEY_BYTES = Map.of("Ed25519", 32, "X25519", 32, "Ed448", 57, "X448", 56);
    static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private JoseJwkRules() {
    }

    /** Problems with a JWK Set document as a whole; empty when jose's {@code JWKSet} parser accepts it. */
    static List<String> setProblems(JsonNode set) {
        List<String> problems = new ArrayList<>();
        if (set == null || !set.isObject() || !set.path("keys").isArray()) {
            problems.add("not an object with a \"keys\" array");
            return problems;
        }
        for (JsonNode key : set.get("keys")) {
            parseProblems(key).forEach(p -> problems.add(key.path("kid").asText("?") + ": " + p));
        }
        return problems;
    }

    /** Why jose's {@code FromJSON JWK} would fail on this key; empty when it parses. */
    static List<String> parseProblems(JsonNode key) {
        List<String> p = new ArrayList<>();
        if (key == null || !key.isObject()) {
            p.add("not a JSON object");
            return p;
        }
        JsonNode kty = key.get("kty");
        if (kty == null || !kty.isTextual()) {
            p.add("missing \"kty\" parameter");
            return p;
        }
        switch (kty.asText()) {
            case "RSA" -> {
                integer(key, "n", p);
                integer(key, "e", p);
            }
            case "EC" -> ec(key, p);
            case "oct" -> octets(key, "k", p);
            case "OKP" -> {
                Integer size = OKP_KEY_BYTES.get(key.path("crv").asText());
                byte[] x = octets(key, "x", p);
                if (size == null) {
                    p.add("unrecognised OKP key subtype " + key.path("crv"));
                } else if (x != null && x.length != size) {
                    p.add("OKP x must be " + size + " octets, not " + x.length);
                }
            }
            default -> p.add("unsupported \"kty\": " + kty);
        }
        optionalOneOf(key, "use", Set.of("sig", "enc"), p);
        optionalOneOf(key, "alg", union(JWS_ALGS, JWE_ALGS), p);
        JsonNode ops = key.get("key_ops");
        if (ops != null && !ops.isNull()) {
            if (!ops.isArray()) {
                p.add("key_ops is not an array");
            } else {
                ops.forEach(op -> {
                    if (!op.isTextual() || !KEY_OPS.contains(op.asText())) {
                        p.add("unknown key_ops value " + op);
                    }
                });
            }
        }
        optionalString(key, "kid", p);
        optionalString(key, "x5u", p);
        thumbprint(key, "x5t", 20, p);
        thumbprint(key, "x5t#S256", 32, p);
        x5c(key, p);
        return p;
    }

    /** {@link #parseProblems} plus what makes a key useless or dangerous for verifying Keycloak's signed tokens. */
    static List<String> verificationProblems(JsonNode key) {
        List<String> p = parseProblems(key);
        if (!p.isEmpty()) {
            return p;
        }
        String kty = key.get("kty").asText();
        if (key.hasNonNull("use") && !key.get("use").asText().equals("sig")) {
            p.add("use is " + key.get("use").asText() + ", not sig");
        }
        if (key.hasNonNull("key_ops") && !key.get("key_ops").toString().contains("\"verify\"")) {
            p.add("key_ops without verify: " + key.get("key_ops"));
        }
        PRIVATE_MEMBERS.forEach(m -> {
            if (key.has(m)) {
                p.add("publishes secret member " + m);
            }
        });
        if (key.hasNonNull("alg")) {
            String alg = key.get("alg").asText();
            if (!JWS_ALGS.contains(alg) || alg.equals("none")) {
                p.add("alg " + alg + " is not a JWS signature algorithm");
            } else if (!pairs(alg, kty, key.path("crv").asText())) {
                p.add("jose's verify cannot use alg " + alg + " with a " + kty + " key");
            }
        }
        if (kty.equals("RSA")) {
            BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(key.get("n").asText()));
            if (n.compareTo(BigInteger.TWO.pow(2040)) < 0) {
                p.add("RSA modulus of " + n.bitLength() + " bits is below jose's 2040-bit bound (KeySizeTooSmall)");
            }
        }
        return p;
    }

    /** jose's {@code verify} table: which algorithm works with which key material. */
    private static boolean pairs(String alg, String kty, String crv) {
        return switch (alg) {
            case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512" -> kty.equals("RSA");
            case "HS256", "HS384", "HS512" -> kty.equals("oct");
            case "ES256" -> kty.equals("EC") && crv.equals("P-256");
            case "ES384" -> kty.equals("EC") && crv.equals("P-384");
            case "ES512" -> kty.equals("EC") && crv.equals("P-521");
            case "ES256K" -> kty.equals("EC") && crv.equals("secp256k1");
            case "EdDSA" -> kty.equals("OKP") && (crv.equals("Ed25519") || crv.equals("Ed448"));
            default -> false;
        };
    }

    private static void ec(JsonNode key, List<String> p) {
        String crv = key.path("crv").asText(null);
        Integer size = crv == null ? null : EC_COORD_BYTES.get(crv);
        if (size == null) {
            p.add("unknown EC crv " + key.path("crv"));
            return;
        }
        byte[] x = octets(key, "x", p);
        byte[] y = octets(key, "y", p);
        if (x == null || y == null) {
            return;
        }
        if (x.length != size || y.length != size) {
            p.add("EC coordinates must be " + size + " octets (x " + x.length + ", y " + y.length + ")");
            return;
        }
        String jdk = EC_JDK_NAMES.get(crv);
        if (jdk != null && !onCurve(jdk, new BigInteger(1, x), new BigInteger(1, y))) {
            p.add("point is not on specified curve");
        }
    }

    private static boolean onCurve(String jdkName, BigInteger x, BigInteger y) {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(jdkName));
            ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
            BigInteger prime = ((ECFieldFp) spec.getCurve().getField()).getP();
            BigInteger left = y.modPow(BigInteger.TWO, prime);
            BigInteger right = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(prime);
            return left.equals(right);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** jose's Base64Integer: unpadded base64url, non-empty, no leading zero octet (except the value 0 itself). */
    private static void integer(JsonNode key, String member, List<String> p) {
        byte[] bytes = octets(key, member, p);
        if (bytes == null) {
            return;
        }
        if (bytes.length == 0) {
            p.add(member + ": empty octet sequence");
        } else if (bytes.length > 1 && bytes[0] == 0) {
            p.add(member + ": leading null byte");
        }
    }

    /** jose's base64url: the unpadded alphabet only. Returns null (and a problem) when absent or invalid. */
    private static byte[] octets(JsonNode key, String member, List<String> p) {
        JsonNode v = key.get(member);
        if (v == null || v.isNull()) {
            p.add("missing \"" + member + "\"");
            return null;
        }
        if (!v.isTextual() || !v.asText().matches("[A-Za-z0-9_-]*") || v.asText().length() % 4 == 1) {
            p.add(member + ": not valid base64url");
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(v.asText());
        } catch (IllegalArgumentException e) {
            p.add(member + ": not valid base64url");
            return null;
        }
    }

    private static void thumbprint(JsonNode key, String member, int size, List<String> p) {
        if (key.hasNonNull(member)) {
            List<String> sub = new ArrayList<>();
            byte[] bytes = octets(key, member, sub);
            p.addAll(sub);
            if (bytes != null && bytes.length != size) {
                p.add(member + ": incorrect number of bytes (" + bytes.length + ")");
            }
        }
    }

    /** x5c: standard base64 DER certificates; the first one's key must be this key (jose's certMatchesKey). */
    private static void x5c(JsonNode key, List<String> p) {
        JsonNode chain = key.get("x5c");
        if (chain == null || chain.isNull()) {
            return;
        }
        if (!chain.isArray() || chain.isEmpty()) {
            p.add("x5c is not a non-empty array");
            return;
        }
        PublicKey first = null;
        for (int i = 0; i < chain.size(); i++) {
            try {
                byte[] der = Base64.getDecoder().decode(chain.get(i).asText());
                PublicKey k = CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                first = i == 0 ? k : first;
            } catch (IllegalArgumentException | java.security.cert.CertificateException e) {
                p.add("x5c[" + i + "] is not a base64 X.509 certificate");
                return;
            }
        }
        boolean matches;
        try {
            matches = matches(first, key);
        } catch (IllegalArgumentException e) {
            matches = false; // the key's own members are malformed, reported above
        }
        if (!matches) {
            p.add("X.509 cert in \"x5c\" param does not match key");
        }
    }

    private static boolean matches(PublicKey cert, JsonNode key) {
        Base64.Decoder d = Base64.getUrlDecoder();
        String kty = key.get("kty").asText();
        if (cert instanceof RSAPublicKey rsa && kty.equals("RSA")) {
            return rsa.getModulus().equals(new BigInteger(1, d.decode(key.path("n").asText())))
                    && rsa.getPublicExponent().equals(new BigInteger(1, d.decode(key.path("e").asText())));
        }
        if (cert instanceof ECPublicKey ec && kty.equals("EC")) {
            return ec.getW().getAffineX().equals(new BigInteger(1, d.decode(key.path("x").asText())))
                    && ec.getW().getAffineY().equals(new BigInteger(1, d.decode(key.path("y").asText())));
        }
        return false;
    }

    private static void optionalOneOf(JsonNode key, String member, Set<String> allowed, List<String> p) {
        JsonNode v = key.get(member);
        if (v != null && !v.isNull() && (!v.isTextual() || !allowed.contains(v.asText()))) {
            p.add("unknown " + member + " " + v);
        }
    }

    private static void optionalString(JsonNode key, String member, List<String> p) {
        JsonNode v = key.get(member);
        if (v != null && !v.isNull() && !v.isTextual()) {
            p.add(member + " is not a string");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }
}
