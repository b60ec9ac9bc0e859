package io.github.keycloakhasura.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keycloakhasura.mapper.HasuraClaims;
import io.github.keycloakhasura.mapper.HasuraMapperConfig;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.File;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the Hasura claims mapper pays per token for its configuration: parsing the stored mapper config of the realm
 * export ({@code realm-export/app-realm.json}, scope {@code hasura}) every time, against looking the parsed value up
 * by the config's content (the memo this measurement retired), and, for scale, computing the claims themselves.
 * A refresh costs Keycloak about 1–2 ms of server CPU (docs/benchmarks.md).
 * <p>
 * Run from the repository root: {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main
 * MapperConfigBenchmark -f 1 -wi 2 -i 3 -w 1s -r 1s} (JMH's own defaults otherwise) ({@code -Drealm.export=...} for another export).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MapperConfigBenchmark {

    /** The config map as the mapper model holds it. */
    private Map<String, String> stored;
    private Map<Map<String, String>, HasuraMapperConfig> memo;
    private HasuraMapperConfig parsed;
    private HasuraClaims.Subject subject;

    @Setup
    public void setUp() throws IOException {
        File export = new File(System.getProperty("realm.export", "realm-export/app-realm.json"));
        JsonNode realm = new ObjectMapper().readTree(export);
        for (JsonNode scope : realm.path("clientScopes")) {
            for (JsonNode mapper : scope.path("protocolMappers")) {
                if ("hasura-claims-mapper".equals(mapper.path("protocolMapper").asText())) {
                    stored = new LinkedHashMap<>();
                    mapper.path("config").fields().forEachRemaining(e -> stored.put(e.getKey(), e.getValue().asText()));
                }
            }
        }
        if (stored == null) {
            throw new IllegalStateException("no hasura-claims-mapper in the client scopes of " + export);
        }
        parsed = HasuraMapperConfig.parse(stored);
        memo = new ConcurrentHashMap<>();
        memo.put(new HashMap<>(stored), parsed);
        subject = new HasuraClaims.Subject("0b6f1c9e-8a3d-4f2b-9c1e-000000000001", "bench-1", Map.of(),
                List.of("default-roles-app", "offline_access", "uma_authorization", "user", "manager"), List.of(), List.of());
    }

    /** Parsing and validating the stored config, as every token would without a memo. */
    @Benchmark
    public HasuraMapperConfig parse() {
        return HasuraMapperConfig.parse(stored);
    }

    /** The retired memo's hit: hashing and comparing the config map's content. */
    @Benchmark
    public HasuraMapperConfig memoHit() {
        return memo.get(stored);
    }

    /** The claims from roles (HasuraClaims.compute), for scale. */
    @Benchmark
    public Map<String, Object> compute() {
        return HasuraClaims.compute(parsed, subject);
    }
}
