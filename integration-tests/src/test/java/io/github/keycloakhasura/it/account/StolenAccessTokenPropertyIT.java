package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import graphql.introspection.IntrospectionQueryBuilder;
import io.github.keycloakhasura.it.graphql.TotpCodes;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import io.github.keycloakhasura.it.support.Mailbox;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The property "a stolen access token changes no email, password or MFA without a proof beyond the token", tested
 * generatively. The mutations are read from the served schema (introspection), so an operation added later is
 * covered without touching this test. Each case holds only an access token of the victim whose login is older than
 * the realm's re-authentication age (max_auth_age 0 for UPDATE_EMAIL and CONFIGURE_TOTP here, so one second is
 * old), and calls random mutations with random but plausible arguments, as an attacker would: the victim's own and
 * the attacker's addresses, wrong passwords, current codes of a TOTP secret the attacker set up, tokens of links that
 * reached the attacker's mailbox (GreenMail receives every address). Before and after every call the admin API
 * reads the victim's email, verified flag and credentials (ids, types, dates); the victim's password must still log
 * in after each case. What each operation changed of the rest is listed at the end.
 * <p>
 * Seed: {@code -Dstolen.seed=<seed>} (printed; random by default), {@code -Dstolen.cases}, {@code -Dstolen.calls}.
 */
@ExtendWith(KeycloakExtension.class)
class StolenAccessTokenPropertyIT {

    static final long SEED = Long.getLong("stolen.seed", System.currentTimeMillis());
    static final int CASES = Integer.getInteger("stolen.cases", 8);
    static final int CALLS = Integer.getInteger("stolen.calls", 20);
    static final String PASSWORD = "Victim-pass-1234";
    /** The classic introspection query (as Hasura sends it), built by graphql-java. */
    static final String INTROSPECTION = IntrospectionQueryBuilder.build(IntrospectionQueryBuilder.Options.defaultOptions()
            .descriptions(false).specifiedByUrl(false).directiveIsRepeatable(false).schemaDescription(false)
            .inputValueDeprecation(false).isOneOf(false).typeRefFragmentDepth(7));

    @RegisterExtension
    static final EmailRealm realm = new EmailRealm();

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        // Wrong passwords are part of the attack; a lockout would only hide what the property is about.
        realm.adminOk("PUT", "", Map.of("bruteForceProtected", false));
    }

    record Arg(String name, JsonNode type) {
    }

    record Operation(String name, List<Arg> args, String selection) {
    }

    @Test
    void aStolenAccessTokenChangesNoEmailPasswordOrMfa() {
        System.out.println("StolenAccessTokenPropertyIT seed=" + SEED + " (replay: -Dstolen.seed=" + SEED + ")");
        List<Operation> operations = mutations();
        assertTrue(operations.stream().anyMatch(o -> o.name().equals("updateAccount")), operations.toString());
        Map<String, Set<String>> changes = new TreeMap<>();
        realm.withMaxAuthAge("UPDATE_EMAIL", 0, () -> realm.withMaxAuthAge("CONFIGURE_TOTP", 0, () -> {
            Random random = new Random(SEED);
            for (int c = 0; c < CASES; c++) {
                new Attack(random, c, operations, changes).run();
            }
        }));
        System.out.println("StolenAccessTokenPropertyIT: what each mutation changed with a stolen token: " + changes);
    }

    /** One victim, one stolen token (renewed if an operation ends its session), CALLS random mutations. */
    final class Attack {
        final Random random;
        final int number;
        final List<Operation> operations;
        final Map<String, Set<String>> changes;
        final String username = unique("victim");
        final String id;
        final String attackerEmail;
        String token;
        String secret;

        Attack(Random random, int number, List<Operation> operations, Map<String, Set<String>> changes) {
            this.random = random;
            this.number = number;
            this.operations = operations;
            this.changes = changes;
            this.id = realm.createUser(username, PASSWORD, random.nextBoolean());
            this.attackerEmail = "attacker-" + Long.toHexString(SEED) + "-" + number + "-" + username + "@example.test";
        }

        void run() {
            steal();
            for (int i = 0; i < CALLS; i++) {
                Operation op = next();
                Map<String, Object> vars = new LinkedHashMap<>();
                // Half the calls aim at one thing (the required arguments and one optional one), as an attacker
                // after one change would; the others send each optional argument with probability 0.7.
                List<Arg> optional = op.args().stream().filter(a -> !"NON_NULL".equals(a.type().path("kind").asText())).toList();
                Arg aimed = optional.isEmpty() || random.nextBoolean() ? null : optional.get(random.nextInt(optional.size()));
                for (Arg arg : op.args()) {
                    boolean required = !optional.contains(arg);
                    if (required || (aimed != null ? arg == aimed : random.nextInt(10) < 7)) {
                        vars.put(arg.name(), value(op.name(), arg));
                    }
                }
                Map<String, Object> before = observe();
                Http.Response response = realm.graphql(document(op, vars.keySet()), vars, token);
                assertEquals(200, response.status(), response.toString());
                remember(op, response);
                Map<String, Object> after = observe();
                String where = "seed=" + SEED + " case=" + number + " call=" + i + " " + op.name() + " " + vars
                        + " -> " + response.body();
                for (String key : List.of("email", "emailVerified", "credentials")) {
                    if (!before.get(key).equals(after.get(key))) {
                        fail("a stolen access token changed " + key + ": " + before.get(key) + " -> " + after.get(key)
                                + " (" + where + ")");
                    }
                }
                after.forEach((key, value) -> {
                    if (!value.equals(before.get(key))) {
                        changes.computeIfAbsent(op.name(), k -> new TreeSet<>()).add(key);
                    }
                });
                if (whoamiRefused()) {
                    steal(); // the session ended (logout): the attacker steals the next token
                }
            }
            assertEquals(200, realm.passwordGrant(username, PASSWORD).status(), "the victim's password still works (case "
                    + number + ", seed " + SEED + ")");
        }

        /** A token of a login that is no longer recent (max_auth_age is 0 s). */
        void steal() {
            token = realm.accessToken(username, PASSWORD);
            Harness.sleep(1100);
        }

        /** Mostly any mutation; after a setup or a mailed link, often the one that would complete it. */
        Operation next() {
            if (secret != null && random.nextInt(2) == 0) {
                return named("totpConfirm");
            }
            if (!linkTokens().isEmpty() && random.nextInt(2) == 0) {
                return named(random.nextBoolean() ? "confirmEmailChange" : "passwordReset");
            }
            return operations.get(random.nextInt(operations.size()));
        }

        Operation named(String name) {
            return operations.stream().filter(o -> o.name().equals(name)).findFirst()
                    .orElseGet(() -> operations.get(random.nextInt(operations.size())));
        }

        Object value(String operation, Arg arg) {
            String name = arg.name().toLowerCase();
            String type = namedType(arg.type());
            if ("Boolean".equals(type)) {
                return random.nextBoolean();
            }
            if ("Int".equals(type)) {
                return random.nextInt(50);
            }
            if ("JSON".equals(type)) {
                return pick(Map.of("nickname", "x"), Map.of("email", attackerEmail), Map.of("hasura_default_role", "manager"),
                        Map.of("totp", "true"), Map.of("kc.email.pending", attackerEmail), Map.of());
            }
            if (name.contains("password")) {
                return pick("Attacker-pass-" + random.nextInt(1000), "", PASSWORD.toLowerCase(), "Victim-pass-123");
            }
            if (name.contains("email")) {
                return pick(attackerEmail, attackerEmail.toUpperCase(), username + "@example.test", "not-an-email");
            }
            if (name.equals("code") || name.equals("otp")) {
                return secret != null && random.nextInt(4) > 0 ? TotpCodes.code(secret, 0)
                        : String.format("%06d", random.nextInt(1_000_000));
            }
            if (name.contains("token")) {
                List<String> candidates = new ArrayList<>(linkTokens());
                candidates.add(token);
                candidates.add("not-a-token");
                return candidates.get(random.nextInt(candidates.size()));
            }
            if (name.equals("username")) {
                return pick(username, username.toUpperCase(), attackerEmail);
            }
            if (name.equals("clientid")) {
                return pick("hasura-app", "account", "admin-cli");
            }
            return pick("x", "Mallory", "", "openid offline_access", "\u00e9\u00e8");
        }

        @SafeVarargs
        final <T> T pick(T... values) {
            return values[random.nextInt(values.length)];
        }

        /** A TOTP secret offered to the attacker, and a code of it kept in step. */
        void remember(Operation op, Http.Response response) {
            JsonNode secretNode = response.json().path("data").path(op.name()).path("secret");
            if (secretNode.isTextual()) {
                secret = secretNode.asText();
                TotpCodes.awayFromStepEdge(30, 2);
            }
        }

        /** Tokens of every link that reached the attacker's address. */
        List<String> linkTokens() {
            List<String> tokens = new ArrayList<>();
            for (String address : List.of(attackerEmail, attackerEmail.toUpperCase())) {
                for (MimeMessage message : realm.mailbox().messages(address)) {
                    Matcher m = Pattern.compile("\\?token=([A-Za-z0-9._~%+-]+)").matcher(Mailbox.text(message));
                    while (m.find()) {
                        tokens.add(java.net.URLDecoder.decode(m.group(1), java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            }
            return tokens;
        }

        boolean whoamiRefused() {
            Http.Response r = realm.graphql("{ whoami { id } }", Map.of(), token);
            return r.json().path("data").path("whoami").isNull();
        }

        /** What the admin API shows of the victim: the security-relevant part and the rest. */
        Map<String, Object> observe() {
            JsonNode user = realm.user(id);
            Map<String, Object> seen = new LinkedHashMap<>();
            seen.put("email", user.path("email").asText());
            seen.put("emailVerified", user.path("emailVerified").asBoolean());
            List<String> credentials = new ArrayList<>();
            for (JsonNode credential : realm.credentials(id)) {
                credentials.add(credential.path("id").asText() + "/" + credential.path("type").asText() + "/"
                        + credential.path("createdDate").asText() + "/" + credential.path("userLabel").asText());
            }
            seen.put("credentials", credentials);
            for (String field : List.of("firstName", "lastName", "attributes", "requiredActions", "enabled")) {
                seen.put(field, user.path(field).toString());
            }
            seen.put("sessions", realm.adminOk("GET", "/users/" + id + "/sessions", null).size());
            return seen;
        }
    }

    /** Every mutation of the served schema, with its arguments and a selection of its scalar fields. */
    static List<Operation> mutations() {
        Http.Response r = realm.graphql(INTROSPECTION, Map.of());
        JsonNode schema = r.json().path("data").path("__schema");
        assertTrue(schema.isObject(), r.body());
        Map<String, JsonNode> types = new LinkedHashMap<>();
        schema.path("types").forEach(t -> types.put(t.path("name").asText(), t));
        List<Operation> operations = new ArrayList<>();
        for (JsonNode field : types.get(schema.path("mutationType").path("name").asText()).path("fields")) {
            List<Arg> args = new ArrayList<>();
            field.path("args").forEach(a -> args.add(new Arg(a.path("name").asText(), a.path("type"))));
            List<String> scalars = new ArrayList<>();
            JsonNode returned = types.get(namedType(field.path("type")));
            if (returned != null && returned.path("fields").isArray()) {
                for (JsonNode f : returned.path("fields")) {
                    String kind = leafKind(f.path("type"));
                    if (f.path("args").isEmpty() && ("SCALAR".equals(kind) || "ENUM".equals(kind))) {
                        scalars.add(f.path("name").asText());
                    }
                }
            }
            String selection = returned != null && "OBJECT".equals(returned.path("kind").asText())
                    ? "{ __typename " + String.join(" ", scalars) + " }" : "";
            operations.add(new Operation(field.path("name").asText(), args, selection));
        }
        return operations;
    }

    static String document(Operation op, Set<String> given) {
        StringBuilder declarations = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        for (Arg arg : op.args()) {
            if (given.contains(arg.name())) {
                declarations.append(declarations.length() == 0 ? "" : ", ").append('$').append(arg.name()).append(": ")
                        .append(typeString(arg.type()));
                arguments.append(arguments.length() == 0 ? "" : ", ").append(arg.name()).append(": $").append(arg.name());
            }
        }
        return "mutation" + (declarations.length() == 0 ? "" : "(" + declarations + ")") + " { " + op.name()
                + (arguments.length() == 0 ? "" : "(" + arguments + ")") + " " + op.selection() + " }";
    }

    static String typeString(JsonNode type) {
        return switch (type.path("kind").asText()) {
            case "NON_NULL" -> typeString(type.path("ofType")) + "!";
            case "LIST" -> "[" + typeString(type.path("ofType")) + "]";
            default -> type.path("name").asText();
        };
    }

    static String namedType(JsonNode type) {
        JsonNode t = type;
        while (!t.path("ofType").isMissingNode() && !t.path("ofType").isNull()) {
            t = t.path("ofType");
        }
        return t.path("name").asText();
    }

    static String leafKind(JsonNode type) {
        JsonNode t = type;
        while (!t.path("ofType").isMissingNode() && !t.path("ofType").isNull()) {
            t = t.path("ofType");
        }
        return t.path("kind").asText();
    }
}
