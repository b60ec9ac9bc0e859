package io.github.keycloakhasura.graphql;

import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.api.Caller;
import io.github.keycloakhasura.graphql.api.PendingActionInput;
import io.github.keycloakhasura.graphql.api.RawJson;
import io.github.keycloakhasura.graphql.api.SignUp;
import io.github.keycloakhasura.graphql.api.Tokens;
import io.github.keycloakhasura.graphql.api.TransactionMode;
import io.github.keycloakhasura.graphql.api.UserView;
import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.engine.GraphqlRequest;
import io.github.keycloakhasura.graphql.capability.Ports;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.organizations.OrganizationsPort;
import io.github.keycloakhasura.graphql.tokens.TokensPort;
import io.github.keycloakhasura.graphql.spi.Capabilities;
import io.github.keycloakhasura.graphql.http.GraphqlHttp;
import io.github.keycloakhasura.graphql.http.ResponseWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The extension's own cost per GraphQL request, without Keycloak: the JSON body is parsed, the engine runs the
 * operation (document cache, instrumentation, fetchers, error handling) against a {@link Backend} with canned
 * answers, and the result is serialised, as {@code GraphqlResource} does. The requests are the load benchmark's.
 * <p>
 * Run: {@code scripts/benchmark.sh --jmh-only}, or
 * {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main GraphqlLayerBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GraphqlLayerBenchmark {

    private GraphqlEngine engine;
    private GraphqlConfig config;
    private Backend backend;
    /** A request's ports: the canned backend, token and login ports (a new set per request in the server). */
    private Ports ports;
    private byte[] tokenAuth;
    private byte[] refreshToken;
    private byte[] verifyToken;
    private byte[] whoami;
    private byte[] users;
    private byte[] usersWithRoles;
    private List<String> bearer;

    @Setup
    public void setUp() {
        config = GraphqlConfig.from(key -> null);
        engine = new GraphqlEngine(config, Capabilities.schema());
        backend = new CannedBackend();
        CannedBackend canned = (CannedBackend) backend;
        ports = Ports.builder()
                .add(Backend.class, () -> canned)
                .add(TokensPort.class, () -> canned.tokens)
                .add(OrganizationsPort.class, () -> canned.organizations)
                .build();
        String jwt = CannedBackend.jwt();
        tokenAuth = body("mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) "
                + "{ token refreshToken payload refreshExpiresIn } }", "{\"u\":\"bench-0\",\"p\":\"Bench-pass-123\"}");
        refreshToken = body("mutation ($t: String!) { refreshToken(refreshToken: $t) { token refreshToken payload refreshExpiresIn } }",
                "{\"t\":\"" + jwt + "\"}");
        verifyToken = body("mutation ($t: String!) { verifyToken(token: $t) { payload } }", "{\"t\":\"" + jwt + "\"}");
        whoami = body("{ whoami { id username email firstName lastName emailVerified profile { role } hasura } }", null);
        users = body("{ users(first: 50) { id username email firstName lastName emailVerified isActive dateJoined } }", null);
        usersWithRoles = body("{ users(first: 50) { id username email firstName lastName emailVerified isActive dateJoined "
                + "roles profile { role } } }", null);
        bearer = List.of("Bearer " + jwt);
        // Every operation must succeed, or the numbers would measure error handling.
        for (byte[] b : List.of(tokenAuth, refreshToken, verifyToken, whoami, users, usersWithRoles)) {
            String out = new String(request(b, bearer), StandardCharsets.UTF_8);
            if (!out.startsWith("{\"data\":{\"") || out.contains("\"errors\"")) {
                throw new IllegalStateException("benchmark request failed: " + out);
            }
        }
    }

    private static byte[] body(String query, String variablesJson) {
        String json = "{\"query\":" + quote(query) + (variablesJson == null ? "" : ",\"variables\":" + variablesJson) + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** What GraphqlResource does for a POST, minus JAX-RS and Keycloak. */
    private byte[] request(byte[] body, List<String> authorization) {
        GraphqlHttp.requireJsonBody("application/json");
        GraphqlHttp.responseMediaType(null);
        GraphqlRequest request = GraphqlHttp.parseBody(body);
        RequestContext context = RequestContext.of(ports, config, authorization);
        GraphqlEngine.Outcome outcome = engine.execute(request, context.asGraphqlContext(), true);
        return ResponseWriter.write(outcome.body());
    }

    @Benchmark
    public byte[] tokenAuth() {
        return request(tokenAuth, List.of());
    }

    @Benchmark
    public byte[] refreshToken() {
        return request(refreshToken, List.of());
    }

    @Benchmark
    public byte[] verifyToken() {
        return request(verifyToken, List.of());
    }

    @Benchmark
    public byte[] whoami() {
        return request(whoami, bearer);
    }

    @Benchmark
    public byte[] users50() {
        return request(users, bearer);
    }

    @Benchmark
    public byte[] users50WithRolesAndProfile() {
        return request(usersWithRoles, bearer);
    }

    /** Answers shaped like Keycloak's (a realistic access-token payload, 50 users), computed once. */
    static final class CannedBackend implements Backend {

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

        /** tokenAuth (the organization capability wires it): a canned login; the rest is not measured. */
        final OrganizationsPort organizations = (OrganizationsPort) java.lang.reflect.Proxy.newProxyInstance(
                OrganizationsPort.class.getClassLoader(), new Class<?>[] {OrganizationsPort.class}, (proxy, method, args) -> {
                    if (method.getName().equals("login")) {
                        return TOKENS;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });

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
        public Map<String, Object> sessionVariables(Caller caller) {
            return (Map<String, Object>) PAYLOAD.get("https://hasura.io/jwt/claims");
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
}
