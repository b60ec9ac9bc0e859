package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Throws thousands of generated requests at the endpoint: documents built from the schema (valid and subtly
 * invalid), mutated documents, random variables, random envelopes, methods, content types, Accept and
 * Authorization headers. Every answer must be below 500, carry no stack trace or exception name, and contain no
 * INTERNAL error. Case {@code i} is generated from {@code new Random(caseSeed(seed, i))} alone, so a failure is
 * reproduced with {@code -Dfuzz.seed=<seed> -Dfuzz.cases=<i + 1>} (both printed in the failure message); only the
 * names of the users and tokens it uses differ from run to run.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlFuzzIT {

    static final long SEED = Long.getLong("fuzz.seed", 20261128L);
    static final int CASES = Integer.getInteger("fuzz.cases", 3000);
    static final int THREADS = 3;
    /** A slow, shared machine must not fail the build: after this, remaining cases are skipped (and reported). */
    static final Duration TIME_CAP = Duration.ofSeconds(Long.getLong("fuzz.max.seconds", 240));
    static final String PASSWORD = "Fuzz-pass-123";

    static KeycloakServer server;
    static KeycloakAdmin admin;
    static GraphqlClient graphql;
    /** Real tokens, so fetchers behind authentication run too. */
    static List<String> tokenPool;
    static String fuzzUser;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        graphql = new GraphqlClient(keycloak);
        fuzzUser = unique("fuzz");
        admin.createUser(fuzzUser, PASSWORD, null);
        String managerName = unique("fuzz-boss");
        admin.addRealmRoles(admin.createUser(managerName, PASSWORD, null), "manager");
        JsonNode user = login(fuzzUser);
        JsonNode manager = login(managerName);
        tokenPool = List.of(user.get("token").asText(), manager.get("token").asText(), manager.get("token").asText(),
                user.get("refreshToken").asText(), admin.token());
    }

    static JsonNode login(String username) {
        return GraphqlClient.data(graphql.post(GraphqlAuthIT.TOKEN_AUTH, Map.of("u", username, "p", PASSWORD), null)).get("tokenAuth");
    }

    // ------------------------------------------------------------------------------------------------ the schema

    record Arg(String name, String type) {
    }

    record FieldSpec(String name, List<Arg> args, String type) {
    }

    static final Map<String, List<FieldSpec>> TYPES = new LinkedHashMap<>();

    static {
        List<FieldSpec> user = new ArrayList<>();
        for (String scalar : List.of("id", "username", "email", "firstName", "lastName", "emailVerified", "isActive", "dateJoined",
                "roles", "hasura")) {
            user.add(new FieldSpec(scalar, List.of(), null));
        }
        user.add(new FieldSpec("profile", List.of(), "Profile"));
        TYPES.put("User", user);
        TYPES.put("Profile", List.of(new FieldSpec("role", List.of(), null)));
        List<FieldSpec> tokens = new ArrayList<>();
        for (String scalar : List.of("token", "refreshToken", "payload", "refreshExpiresIn", "expiresIn", "idToken")) {
            tokens.add(new FieldSpec(scalar, List.of(), null));
        }
        TYPES.put("ObtainJSONWebToken", tokens);
        TYPES.put("Refresh", tokens);
        TYPES.put("Verify", List.of(new FieldSpec("payload", List.of(), null)));
        TYPES.put("Revoke", List.of(new FieldSpec("revoked", List.of(), null)));
        TYPES.put("CreateUser", List.of(new FieldSpec("user", List.of(), "User"), new FieldSpec("profile", List.of(), "Profile"),
                new FieldSpec("token", List.of(), null), new FieldSpec("refreshToken", List.of(), null),
                new FieldSpec("payload", List.of(), null), new FieldSpec("refreshExpiresIn", List.of(), null)));
        TYPES.put("UserPage", List.of(new FieldSpec("items", List.of(), "User"), new FieldSpec("totalCount", List.of(), null),
                new FieldSpec("endCursor", List.of(), null), new FieldSpec("hasNextPage", List.of(), null)));
        List<Arg> paging = List.of(new Arg("search", "String"), new Arg("first", "Int"), new Arg("after", "String"));
        TYPES.put("Query", List.of(new FieldSpec("whoami", List.of(), "User"), new FieldSpec("users", paging, "User"),
                new FieldSpec("usersPage", paging, "UserPage"), new FieldSpec("user", List.of(new Arg("id", "ID!")), "User"),
                new FieldSpec("__typename", List.of(), null), new FieldSpec("__schema", List.of(), "__Schema"),
                new FieldSpec("__type", List.of(new Arg("name", "String!")), "__Type")));
        TYPES.put("Mutation", List.of(
                new FieldSpec("tokenAuth", List.of(new Arg("username", "String!"), new Arg("password", "String!"),
                        new Arg("clientId", "String"), new Arg("scope", "String")), "ObtainJSONWebToken"),
                new FieldSpec("refreshToken", List.of(new Arg("refreshToken", "String!")), "Refresh"),
                new FieldSpec("verifyToken", List.of(new Arg("token", "String!")), "Verify"),
                new FieldSpec("revokeToken", List.of(new Arg("refreshToken", "String!")), "Revoke"),
                new FieldSpec("createUser", List.of(new Arg("username", "String!"), new Arg("password", "String!"),
                        new Arg("email", "String!"), new Arg("firstName", "String"), new Arg("lastName", "String")), "CreateUser"),
                new FieldSpec("__typename", List.of(), null)));
        TYPES.put("__Schema", List.of(new FieldSpec("types", List.of(), "__Type"), new FieldSpec("queryType", List.of(), "__Type"),
                new FieldSpec("mutationType", List.of(), "__Type"), new FieldSpec("subscriptionType", List.of(), "__Type"),
                new FieldSpec("directives", List.of(), "__Directive")));
        TYPES.put("__Type", List.of(new FieldSpec("name", List.of(), null), new FieldSpec("kind", List.of(), null),
                new FieldSpec("fields", List.of(new Arg("includeDeprecated", "Boolean")), "__Field"),
                new FieldSpec("ofType", List.of(), "__Type"), new FieldSpec("description", List.of(), null)));
        TYPES.put("__Field", List.of(new FieldSpec("name", List.of(), null), new FieldSpec("type", List.of(), "__Type"),
                new FieldSpec("args", List.of(), "__InputValue"), new FieldSpec("isDeprecated", List.of(), null)));
        TYPES.put("__InputValue", List.of(new FieldSpec("name", List.of(), null), new FieldSpec("type", List.of(), "__Type"),
                new FieldSpec("defaultValue", List.of(), null)));
        TYPES.put("__Directive", List.of(new FieldSpec("name", List.of(), null), new FieldSpec("locations", List.of(), null),
                new FieldSpec("args", List.of(), "__InputValue")));
    }

    static final List<String> VARIABLE_TYPES = List.of("String", "String!", "Int", "Int!", "Boolean", "Boolean!", "ID", "ID!",
            "[String]", "[String!]!", "Float", "JSON", "NoSuchType", "User", "[[Int]]");
    static final List<String> NAMES = List.of("a", "b", "x", "id", "token", "username", "users", "tokenAuth", "password", "q",
            "_", "__typename", "Query", "Mutation", "on", "fragment", "null", "true", "query", "mutation", "ünï", "a1");
    static final List<String> PUNCTUATION = List.of("{", "}", "(", ")", "[", "]", ":", "$", "@", "...", "!", "=", ",", "\"",
            "\"\"\"", "#", "|", "&", "\\", "\n", " ", "\t", "\u0000", "\ud83d\ude00", "\ud800", "\u202e", "'", "`", "-", "0x", "1e999");

    // ------------------------------------------------------------------------------------------------ generation

    /** One generated request, printable for the failure message. */
    record Case(int index, String method, String target, List<String[]> headers, byte[] body) {
        String describe() {
            StringBuilder text = new StringBuilder("case ").append(index).append(": ").append(method).append(' ').append(target);
            for (String[] header : headers) {
                text.append("\n  ").append(header[0]).append(": ").append(abbreviate(header[1], 120));
            }
            if (body != null) {
                text.append("\n  body (").append(body.length).append(" bytes): ")
                        .append(abbreviate(new String(body, StandardCharsets.UTF_8), 1500));
            }
            return text.toString();
        }

        String requestText() {
            StringBuilder text = new StringBuilder(target);
            headers.forEach(h -> text.append(h[0]).append(h[1]));
            if (body != null) {
                text.append(new String(body, StandardCharsets.UTF_8));
            }
            return text.toString();
        }
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "… (" + text.length() + " chars)";
    }

    static final class Generator {
        final Random random;
        final List<String> variableNames = new ArrayList<>();
        final Map<String, String> variableTypes = new LinkedHashMap<>();
        final List<String> fragments = new ArrayList<>();

        /** Careful documents stay valid (right types, required arguments, sub-selections), so fields execute. */
        final boolean careful;

        Generator(Random random) {
            this.random = random;
            this.careful = random.nextDouble() < 0.4;
        }

        boolean chance(double p) {
            return random.nextDouble() < p;
        }

        /** A chance of something invalid; never in careful documents. */
        boolean junk(double p) {
            return !careful && chance(p);
        }

        <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        String document() {
            String operation = careful ? pick(List.of("query", "mutation", ""))
                    : pick(List.of("query", "query", "query", "mutation", "mutation", "", "subscription"));
            String root = operation.equals("mutation") ? "Mutation" : "Query";
            StringBuilder doc = new StringBuilder();
            int variables = junk(0.4) ? random.nextInt(4) : 0;
            StringBuilder definitions = new StringBuilder();
            for (int i = 0; i < variables; i++) {
                String name = "v" + i;
                String type = pick(VARIABLE_TYPES);
                variableNames.add(name);
                variableTypes.put(name, type);
                definitions.append(i == 0 ? "" : ", ").append('$').append(name).append(": ").append(type);
                if (chance(0.15)) {
                    definitions.append(" = ").append(literal(type, 0));
                }
            }
            StringBuilder fragmentText = new StringBuilder();
            int fragmentCount = junk(0.2) ? 1 + random.nextInt(3) : 0;
            for (int i = 0; i < fragmentCount; i++) {
                fragments.add("F" + i);
            }
            for (int i = 0; i < fragmentCount; i++) {
                String on = chance(0.7) ? root : pick(List.of("User", "Query", "Mutation", "Nope", "Profile"));
                fragmentText.append(" fragment F").append(i).append(" on ").append(on).append(' ')
                        .append(selection(TYPES.getOrDefault(on, TYPES.get("Query")), 1));
            }
            if (operation.isEmpty()) {
                doc.append(selection(TYPES.get(root), 0));
            } else {
                doc.append(operation);
                if (chance(0.5)) {
                    doc.append(' ').append(pick(List.of("Op", "A", "B", "IntrospectionQuery", "x")));
                }
                if (variables > 0) {
                    doc.append('(').append(definitions).append(')');
                }
                doc.append(' ').append(selection(TYPES.get(root), 0));
            }
            doc.append(fragmentText);
            if (junk(0.05)) {
                doc.append(" query Other { __typename }");
            }
            return doc.toString();
        }

        String selection(List<FieldSpec> fields, int depth) {
            if (careful && depth >= 5) {
                // careful documents must stay under the depth limit: only leaves down here
                List<FieldSpec> leaves = fields.stream().filter(f -> f.type() == null).toList();
                fields = leaves.isEmpty() ? fields : leaves;
            }
            StringBuilder s = new StringBuilder("{");
            int count = 1 + random.nextInt(depth == 0 ? 3 : 5);
            for (int i = 0; i < count; i++) {
                s.append(' ');
                double kind = random.nextDouble();
                if (careful) {
                    kind = 1;
                }
                if (kind < 0.06 && !fragments.isEmpty()) {
                    s.append("...").append(pick(fragments));
                    continue;
                }
                if (kind < 0.12 && depth < 6) {
                    s.append("... on ").append(pick(List.of("Query", "Mutation", "User", "UserPage"))).append(' ')
                            .append(selection(fields, depth + 1));
                    continue;
                }
                if (kind < 0.15) {
                    s.append(pick(NAMES));
                    continue;
                }
                FieldSpec field = pick(fields);
                if (chance(0.3)) {
                    s.append(pick(List.of("a", "b", "c", "x" + random.nextInt(3)))).append(": ");
                }
                s.append(field.name());
                List<String> arguments = new ArrayList<>();
                for (Arg arg : field.args()) {
                    if (arg.type().endsWith("!") ? careful || chance(0.92) : chance(0.4)) {
                        arguments.add(arg.name() + ": " + value(arg.type(), 0));
                    }
                }
                if (junk(0.05)) {
                    arguments.add(pick(NAMES) + ": " + value("String", 0));
                }
                if (!arguments.isEmpty()) {
                    s.append('(').append(String.join(", ", arguments)).append(')');
                }
                if (careful && chance(0.05)) {
                    s.append(pick(List.of(" @skip(if: false)", " @include(if: true)", " @skip(if: true)")));
                }
                if (junk(0.08)) {
                    s.append(' ').append(pick(List.of("@skip(if: true)", "@include(if: false)", "@include(if: $v0)",
                            "@skip(if: \"no\")", "@deprecated", "@nope", "@skip")));
                }
                List<FieldSpec> children = field.type() == null ? null : TYPES.get(field.type());
                if (children != null && (careful || depth < 8 || chance(0.1))) {
                    s.append(' ').append(junk(0.03) ? "{ }" : selection(children, depth + 1));
                } else if (junk(0.04)) {
                    s.append(" { id }");
                }
            }
            return s.append(" }").toString();
        }

        String value(String type, int depth) {
            if (!variableNames.isEmpty() && chance(0.25)) {
                return "$" + pick(variableNames);
            }
            if (junk(0.08)) {
                return "$" + pick(List.of("undeclared", "v9", "x"));
            }
            return literal(type, depth);
        }

        String literal(String type, int depth) {
            if (junk(0.1) && depth < 4) {
                double k = random.nextDouble();
                if (k < 0.4) {
                    return "[" + literal(type, depth + 1) + ", " + literal(type, depth + 1) + "]";
                } else if (k < 0.7) {
                    return "{" + pick(NAMES) + ": " + literal(type, depth + 1) + "}";
                }
                return pick(List.of("null", "true", "FALSE", "ENUM_VALUE", "-0", "1.5e3", "99999999999999999999", "\"\"\"block\"\"\""));
            }
            String base = type.replace("!", "").replace("[", "").replace("]", "");
            return switch (base) {
                case "Int" -> pick(List.of("0", "1", "-1", "25", "26", "100", "101", "2147483647", "2147483648", "-2147483649",
                        String.valueOf(random.nextInt())));
                case "Boolean" -> pick(List.of("true", "false"));
                case "Float" -> "1.5";
                default -> "\"" + escape(string()) + "\"";
            };
        }

        /** A GraphQL string body: quotes and backslashes escaped, control characters mostly escaped, sometimes raw. */
        String escape(String text) {
            StringBuilder b = new StringBuilder();
            for (char c : text.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20 && (careful || chance(0.8))) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }

        String string() {
            double k = random.nextDouble();
            if (k < 0.25) {
                return pick(tokenPool);
            }
            if (k < 0.35) {
                return fuzzUser;
            }
            if (k < 0.4) {
                return pick(List.of("User", "Query", "__Schema", "hasura-app", "openid", "profile email", "nope"));
            }
            if (k < 0.45) {
                return "x".repeat(random.nextInt(6000));
            }
            if (k < 0.5) {
                String token = pick(tokenPool);
                int at = random.nextInt(token.length());
                return token.substring(0, at) + (char) ('A' + random.nextInt(26)) + token.substring(Math.min(token.length(), at + 1));
            }
            if (k < 0.55) {
                return pick(List.of("a@b", "x@example.test", "not-an-email", "@", "a@b.c", "fz" + random.nextInt(1_000_000) + "@example.test"));
            }
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(30);
            for (int i = 0; i < length; i++) {
                s.append(randomChar());
            }
            return s.toString();
        }

        char randomChar() {
            double k = random.nextDouble();
            if (k < 0.7) {
                return (char) (0x20 + random.nextInt(0x5f));
            }
            if (k < 0.8) {
                return (char) random.nextInt(0x20);
            }
            if (k < 0.9) {
                return (char) (0x80 + random.nextInt(0x780));
            }
            return (char) random.nextInt(0x10000);
        }

        String mutate(String document) {
            StringBuilder s = new StringBuilder(document);
            int edits = 1 + random.nextInt(5);
            for (int i = 0; i < edits && s.length() > 0; i++) {
                int at = random.nextInt(s.length());
                switch (random.nextInt(6)) {
                    case 0 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(10)));
                    case 1 -> s.insert(at, pick(PUNCTUATION));
                    case 2 -> s.insert(at, pick(NAMES));
                    case 3 -> {
                        int end = Math.min(s.length(), at + random.nextInt(40));
                        s.insert(at, s.substring(at, end));
                    }
                    case 4 -> s.setCharAt(at, randomChar());
                    default -> s.setLength(at);
                }
            }
            return s.toString();
        }

        Object variables() {
            double k = random.nextDouble();
            if (k < 0.05) {
                return List.of(1, 2);
            }
            if (k < 0.08) {
                return "{}";
            }
            if (k < 0.1) {
                return 42;
            }
            Map<String, Object> vars = new LinkedHashMap<>();
            for (String name : variableNames) {
                if (chance(0.85)) {
                    vars.put(name, jsonValue(variableTypes.get(name), 0));
                }
            }
            if (chance(0.1)) {
                vars.put(pick(NAMES), jsonValue("String", 0));
            }
            return vars;
        }

        Object jsonValue(String type, int depth) {
            double k = random.nextDouble();
            if (k < 0.1) {
                return null;
            }
            if (k < 0.2 && depth < 40) {
                return chance(0.5) ? Collections.singletonList(jsonValue(type, depth + 1))
                        : Collections.singletonMap("k", jsonValue(type, depth + 1));
            }
            if (k < 0.3) {
                return pick(List.<Object>of(true, 1.5, -7, Long.MAX_VALUE, 1e300, "", 0));
            }
            String base = type == null ? "String" : type.replace("!", "").replace("[", "").replace("]", "");
            return switch (base) {
                case "Int" -> pick(List.<Object>of(0, 5, 25, 26, -1, 2147483648L, "7"));
                case "Boolean" -> chance(0.5);
                default -> string();
            };
        }

        Case request(int index) {
            String document = document();
            double shape = random.nextDouble();
            if (shape < 0.3 && !careful) {
                document = mutate(document);
            }
            List<String[]> headers = new ArrayList<>();
            // (Content-Type values that cannot be parsed at all get a 500 from Keycloak itself, on every endpoint,
            // before any extension runs; they are left out.)
            String contentType = chance(0.85) ? pick(List.of("application/json", "application/json; charset=utf-8"))
                    : pick(List.of("application/json; charset=latin1", "text/plain", "application/graphql",
                    "application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "", "application/JSON"));
            if (!contentType.isEmpty()) {
                headers.add(new String[]{"Content-Type", contentType});
            }
            if (chance(0.3)) {
                headers.add(new String[]{"Accept", pick(List.of("application/json", "application/graphql-response+json", "*/*",
                        "text/html", "application/graphql-response+json, application/json;q=0.9", "application/xml;q=0",
                        "application/json;q=abc", ",,,", "image/png, */*;q=0"))});
            }
            if (careful ? chance(0.7) : chance(0.4)) {
                String token = careful || chance(0.8) ? pick(tokenPool) : string().replaceAll("[^\\x21-\\x7e]", "");
                headers.add(new String[]{"Authorization", (careful ? "Bearer "
                        : pick(List.of("Bearer ", "Bearer ", "bearer ", "Basic ", "DPoP ", ""))) + token});
            }
            if (chance(0.15)) {
                headers.add(new String[]{pick(List.of("x-hasura-role", "x-hasura-user-id", "X-Hasura-Admin-Secret",
                        "X-Introspection-Key")), pick(List.of("manager", "admin", "1", "{manager}"))});
            }
            if (chance(0.05)) {
                headers.add(new String[]{"Origin", pick(List.of("http://localhost:3000", "http://evil.example", "null"))});
            }

            double method = random.nextDouble();
            if (method < 0.1) {
                StringBuilder target = new StringBuilder("?query=").append(URLEncoder.encode(abbreviate(document, 1500), StandardCharsets.UTF_8));
                if (chance(0.3)) {
                    target.append("&variables=").append(URLEncoder.encode(json(variables()), StandardCharsets.UTF_8));
                }
                if (chance(0.2)) {
                    target.append("&operationName=").append(pick(List.of("Op", "A", "", "Other")));
                }
                if (target.length() > 3500) {
                    // Longer request lines get a 414 from the HTTP layer, which then closes the connection
                    // (GraphqlHostileInputIT covers that); keep the pooled connections usable.
                    target.setLength(3500);
                    target.setLength(target.lastIndexOf("%") > 3490 ? target.lastIndexOf("%") : 3500);
                }
                return new Case(index, "GET", target.toString(), headers, null);
            }
            if (method < 0.13) {
                return new Case(index, pick(List.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")), "", headers,
                        json(Map.of("query", document)).getBytes(StandardCharsets.UTF_8));
            }
            byte[] body;
            double envelope = careful ? 1 : random.nextDouble();
            if (envelope < 0.04) {
                body = new byte[random.nextInt(300)];
                random.nextBytes(body);
            } else if (envelope < 0.08) {
                body = ("[" + json(Map.of("query", document)) + "," + json(Map.of("query", document)) + "]").getBytes(StandardCharsets.UTF_8);
            } else if (envelope < 0.12) {
                String text = json(Map.of("query", document, "variables", variables()));
                body = mutate(text).getBytes(StandardCharsets.UTF_8);
            } else {
                Map<String, Object> envelopeMap = new LinkedHashMap<>();
                if (chance(0.97)) {
                    envelopeMap.put("query", chance(0.97) ? document : pick(List.<Object>of(1, List.of(document), Map.of())));
                }
                if (chance(0.6)) {
                    envelopeMap.put("variables", variables());
                }
                if (chance(0.2)) {
                    envelopeMap.put("operationName", pick(List.<Object>of("Op", "A", "B", "Other", "", 5)));
                }
                if (chance(0.05)) {
                    envelopeMap.put("extensions", pick(List.<Object>of(Map.of("persistedQuery", Map.of("sha256Hash", "x")), "x")));
                }
                body = json(envelopeMap).getBytes(StandardCharsets.UTF_8);
            }
            return new Case(index, "POST", "", headers, body);
        }
    }

    static String json(Object value) {
        try {
            return Http.JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ the run

    /** SplitMix64 of seed and index: java.util.Random's first values are nearly equal for neighbouring seeds. */
    static long caseSeed(long seed, int index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void generatedRequestsNeverCauseA5xxALeakOrAnInternalError() throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Map<Integer, String> failures = new ConcurrentHashMap<>();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        Map<String, AtomicLong> codes = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + TIME_CAP.toNanos();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        for (int t = 0; t < THREADS; t++) {
            pool.execute(() -> {
                int i;
                while ((i = next.getAndIncrement()) < CASES && System.nanoTime() < deadline && failures.size() < 10) {
                    Case c;
                    try {
                        c = new Generator(new Random(caseSeed(SEED, i))).request(i);
                    } catch (RuntimeException | StackOverflowError e) {
                        failures.put(i, "the generator failed: " + e);
                        done.incrementAndGet();
                        continue;
                    }
                    try {
                        Http.Response r = Hostile.send(c.method(), graphql.url() + c.target(), c.body(), c.headers());
                        statuses.computeIfAbsent(r.status(), s -> new AtomicLong()).incrementAndGet();
                        String problem = problem(r, c.requestText());
                        if (problem != null) {
                            failures.put(i, problem + "\n" + c.describe() + "\n  -> " + abbreviate(r.toString(), 1500));
                        }
                        countCodes(r, codes);
                    } catch (RuntimeException | Error e) {
                        failures.put(i, "request failed: " + e + "\n" + c.describe());
                    }
                    done.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(TIME_CAP.toSeconds() + 120, TimeUnit.SECONDS), "fuzz workers finished");
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.printf("%n[GraphqlFuzzIT] seed %d: %d of %d cases in %d s; statuses %s; error codes %s%n",
                SEED, done.get(), CASES, seconds, new TreeMap<>(statuses), new TreeMap<>(codes));
        if (done.get() < CASES && failures.isEmpty()) {
            assertTrue(System.nanoTime() >= deadline, "workers stopped early: " + done.get() + " of " + CASES);
            System.out.printf("[GraphqlFuzzIT] time cap of %s reached: %d cases not run%n", TIME_CAP, CASES - done.get());
        }
        if (!failures.isEmpty()) {
            List<Integer> indexes = new ArrayList<>(failures.keySet());
            Collections.sort(indexes);
            StringBuilder message = new StringBuilder(failures.size() + " failing case(s) with -Dfuzz.seed=" + SEED
                    + " (rerun one with -Dfuzz.seed=" + SEED + " -Dfuzz.cases=<index + 1>):\n");
            indexes.forEach(i -> message.append("\n").append(failures.get(i)).append("\n"));
            fail(message.toString());
        }
        assertTrue(statuses.containsKey(200) && statuses.keySet().stream().anyMatch(s -> s >= 400),
                "the generator reached both answers and refusals: " + statuses);
    }

    /** Like {@link Hostile#problem}, but a leak marker that the request itself contains may be echoed back. */
    static String problem(Http.Response r, String request) {
        if (r.status() >= 500) {
            return "status " + r.status();
        }
        for (String leak : Hostile.LEAKS) {
            if (r.body().contains(leak) && !request.contains(leak)) {
                return "body contains '" + leak + "'";
            }
        }
        if (r.body().contains("\"INTERNAL\"")) {
            return "an INTERNAL error";
        }
        if (r.status() == 200 && !r.body().isEmpty()) { // OPTIONS and HEAD answer 200 without a body
            try {
                JsonNode json = Http.JSON.readTree(r.body());
                if (!json.has("data") && !json.has("errors")) {
                    return "a 200 without data or errors";
                }
            } catch (IOException e) {
                return "a 200 that is not JSON";
            }
        }
        return null;
    }

    static void countCodes(Http.Response r, Map<String, AtomicLong> codes) {
        try {
            JsonNode errors = Http.JSON.readTree(r.body()).path("errors");
            for (JsonNode error : errors) {
                codes.computeIfAbsent(error.path("extensions").path("code").asText("?"), c -> new AtomicLong()).incrementAndGet();
            }
        } catch (IOException e) {
            // not JSON (e.g. HEAD, OPTIONS)
        }
    }
}
