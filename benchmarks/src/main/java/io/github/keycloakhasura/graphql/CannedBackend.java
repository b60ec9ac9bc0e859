package io.github.keycloakhasura.graphql;

import io.github.keycloakhasura.variables.SessionVariables;
import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.RawJson;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.login.LoginPort;
import io.github.keycloakhasura.graphql.tokens.TokensPort;
import io.github.keycloakhasura.graphql.http.ResponseWriter;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Answers shaped like Keycloak's (a realistic access-token payload, 50 users), computed once. */
final class CannedBackend implements Backend {

    /** refreshToken, verifyToken: canned answers. */
    final TokensPort tokens = new TokensPort() {
        @Override
        public Tokens refresh(String refreshToken, TransactionMode mode) {
            return TOKENS;
        }

        @Override
        public VerifiedToken verify(String token, TransactionMode mode) {
            return new VerifiedToken(PAYLOAD_JSON);
        }

        @Override
        public Revocation revoke(String refreshToken, TransactionMode mode) {
            return new Revocation(Instant.now().getEpochSecond());
        }
    };

    /** tokenAuth (the login capability wires it): a canned login. */
    final LoginPort login = (username, password, clientId, scope, otp, pending, organization) -> TOKENS;

    private static final Map<String, Object> PAYLOAD = payload();
    private static final String TOKEN = jwt();
    /** As the Keycloak backend answers: the token's payload JSON, spliced verbatim into the response. */
    private static final RawJson PAYLOAD_JSON = new RawJson(new String(Base64.getUrlDecoder().decode(TOKEN.split("\\.")[1]), StandardCharsets.UTF_8));
    private static final Tokens TOKENS = new Tokens(TOKEN, TOKEN, PAYLOAD_JSON,
            Instant.now().getEpochSecond() + 604800, 300L, null);
    private static final List<UserView> USERS = users();
    private static final List<String> ROLES = List.of("default-roles-app", "offline_access", "uma_authorization", "user");

    static Map<String, Object> payload() {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("exp", now + 300);
        p.put("iat", now);
        p.put("jti", "onrtro:6f0c4f9e-3b1d-4a8e-9d8e-2f6c1b7a9e01");
        p.put("iss", "http://localhost:8080/realms/app");
        p.put("aud", "account");
        p.put("sub", "0b6f1c9e-8a3d-4f2b-9c1e-5d7a2b8c4e6f");
        p.put("typ", "Bearer");
        p.put("azp", "hasura-app");
        p.put("sid", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
        p.put("acr", "1");
        p.put("allowed-origins", List.of("http://localhost:3000"));
        p.put("realm_access", Map.of("roles", List.of("default-roles-app", "offline_access", "uma_authorization", "user")));
        p.put("resource_access", Map.of("account", Map.of("roles", List.of("manage-account", "view-profile"))));
        p.put("scope", "profile email");
        p.put("email_verified", true);
        p.put("name", "Bench User");
        p.put("preferred_username", "bench-0");
        p.put("given_name", "Bench");
        p.put("family_name", "User");
        p.put("email", "bench-0@example.test");
        Map<String, Object> hasura = new LinkedHashMap<>();
        hasura.put("x-hasura-allowed-roles", List.of("user"));
        hasura.put("x-hasura-default-role", "user");
        hasura.put("x-hasura-user-id", "0b6f1c9e-8a3d-4f2b-9c1e-5d7a2b8c4e6f");
        p.put("https://hasura.io/jwt/claims", hasura);
        return p;
    }

    /** A token of realistic size (header.payload.signature; the signature is random bytes). */
    static String jwt() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"abc\"}".getBytes(StandardCharsets.UTF_8));
        String body = b64.encodeToString(ResponseWriter.write(payload()));
        return header + "." + body + "." + b64.encodeToString(new byte[256]);
    }

    private static List<UserView> users() {
        List<UserView> list = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            String name = String.format("seed-%07d", i);
            list.add(new UserView("0b6f1c9e-8a3d-4f2b-9c1e-" + String.format("%012d", i), name,
                    name + "@example.test", "Seed", "User " + i, true, true, "2026-11-28T10:51:21.123Z", null));
        }
        return List.copyOf(list);
    }

    @Override
    public Caller caller(List<String> authorization) {
        return () -> (String) PAYLOAD.get("sub");
    }

    @Override
    public UserView whoami(Caller caller) {
        UserView u = USERS.get(0);
        return new UserView(caller.userId(), u.username(), u.email(), u.firstName(), u.lastName(), u.emailVerified(),
                u.isActive(), u.dateJoined(), null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public SessionVariables sessionVariables(Caller caller) {
        return new SessionVariables.Variables((Map<String, Object>) PAYLOAD.get("https://hasura.io/jwt/claims"));
    }

    @Override
    public void requireUserViewer(Caller caller) {
    }

    @Override
    public List<UserView> users(String search, int offset, int size) {
        return USERS.subList(0, Math.min(USERS.size(), size + 1));
    }

    @Override
    public int countUsers(String search) {
        return 100_000;
    }

    @Override
    public Optional<UserView> user(String id) {
        return Optional.of(USERS.get(0));
    }

    @Override
    public List<String> roles(String userId) {
        return ROLES;
    }

    @Override
    public String hasuraRole(Caller caller, String userId) {
        return "user";
    }
}
