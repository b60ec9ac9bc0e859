package io.github.keycloakhasura.graphql;

import io.github.keycloakhasura.graphql.api.Backend;
import io.github.keycloakhasura.graphql.engine.GraphqlEngine;
import io.github.keycloakhasura.graphql.engine.GraphqlRequest;
import io.github.keycloakhasura.graphql.capability.Ports;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.login.LoginPort;
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
import java.util.List;
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
        CannedBackend canned = new CannedBackend();
        backend = canned;
        ports = Ports.builder()
                .add(Backend.class, () -> canned)
                .add(TokensPort.class, () -> canned.tokens)
                .add(LoginPort.class, () -> canned.login)
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
}
