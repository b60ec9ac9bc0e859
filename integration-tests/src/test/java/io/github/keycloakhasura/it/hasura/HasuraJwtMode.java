package io.github.keycloakhasura.it.hasura;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.util.ArrayList;
import java.util.List;

/**
 * Hasura's JWT mode ({@code Hasura.Server.Auth.JWT}) configured with what {@code /hasura/jwt-config} prints: the
 * signature must verify against the {@code jwk_url} key set, {@code iss} must equal {@code issuer} when set, one
 * {@code aud} must be {@code audience} when set, the token must not be expired, and the claims namespace must hold
 * the Hasura claims. {@link #refusal} is null when Hasura would accept the token.
 */
final class HasuraJwtMode {

    private HasuraJwtMode() {
    }

    static String refusal(String token, JsonNode jwtConfig, String jwks) {
        JWTClaimsSet claims;
        try {
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.parse(jwtConfig.path("type").asText("RS256")),
                    new ImmutableJWKSet<>(JWKSet.parse(jwks))));
            claims = processor.process(token, null);
        } catch (Exception e) {
            return "invalid-jwt: " + e.getMessage();
        }
        if (jwtConfig.hasNonNull("issuer") && !jwtConfig.get("issuer").asText().equals(claims.getIssuer())) {
            return "invalid-jwt: issuer " + claims.getIssuer();
        }
        if (jwtConfig.hasNonNull("audience")) {
            List<String> wanted = new ArrayList<>();
            if (jwtConfig.get("audience").isArray()) {
                jwtConfig.get("audience").forEach(a -> wanted.add(a.asText()));
            } else {
                wanted.add(jwtConfig.get("audience").asText());
            }
            List<String> aud = claims.getAudience();
            if (aud == null || aud.stream().noneMatch(wanted::contains)) {
                return "invalid-jwt: audience " + aud + " is not " + wanted;
            }
        }
        Object hasura = claims.getClaim(jwtConfig.path("claims_namespace").asText(HasuraSession.NAMESPACE));
        if (hasura == null) {
            return "jwt-missing-role-claims: claims key not found";
        }
        return null;
    }
}
