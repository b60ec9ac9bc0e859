package io.github.keycloakhasura.it.stepup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.github.keycloakhasura.it.stepup.StepUpRealm.data;
import static io.github.keycloakhasura.it.stepup.StepUpRealm.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A token made from a personal access token, sent straight to Keycloak's GraphQL endpoint (which is public next to
 * Hasura), can do no more than the token's roles: it reads who it is and nothing else. Property over the served
 * schema: every root field that needs a bearer token (without one it answers UNAUTHENTICATED "Authentication required"),
 * called with such a token
 * and generated arguments, is FORBIDDEN, except {@code whoami} and {@code user(id:)} of its own id; the directory only
 * when the token was made with the manager role; and the owner's sign-in session survives all of it. Fields are taken
 * from introspection, so an operation added later is covered; their order comes from a printed seed
 * ({@code -Dpat.caller.seed=} replays it).
 */
@ExtendWith(KeycloakExtension.class)
class PersonalAccessTokenCallerIT {

    /** What a token of a personal access token may call at Keycloak: who it is. */
    private static final Set<String> READS = Set.of("whoami", "user");
    /** One root type per request: graphql-java's good-faith introspection check allows __Type.fields once. */
    private static final String INTROSPECT = "{ __schema { %s { fields { name args { name type { ...T } } type { ...T } } } } }"
            + " fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

    private static StepUpRealm realm;

    @BeforeAll
    static void setUp(KeycloakServer server) throws IOException {
        realm = StepUpRealm.create(server, "it-pat-caller", (String) null);
    }

    @AfterAll
    static void tearDown() {
        if (realm != null) {
            realm.delete();
        }
    }

    /** A manager who also holds script, signed in: [id, username, refresh token]. */
    private static String[] owner() {
        String[] user = realm.user();
        realm.admin.addRealmRoles(user[0], "manager", "script");
        String refresh = realm.login(user[1], null).get("refreshToken").asText();
        return new String[] {user[0], user[1], refresh};
    }

    private static String patAccessToken(String username, List<String> roles) {
        String elevated = realm.elevated(username).get("token").asText();
        String secret = data(realm.createPat(elevated, "ci", roles, 30)).at("/createPersonalAccessToken/token").asText();
        return data(realm.patLogin(secret)).at("/tokenAuthWithPersonalAccessToken/token").asText();
    }

    @Test
    void everyBearerOperationButWhoItIsIsForbiddenToATokenOfAScriptPersonalAccessToken() {
        long seed = Long.getLong("pat.caller.seed", System.nanoTime());
        System.out.println("PersonalAccessTokenCallerIT seed " + seed + " (replay: -Dpat.caller.seed=" + seed + ")");
        Random random = new Random(seed);
        String[] owner = owner();
        String[] other = realm.user();
        String script = patAccessToken(owner[1], List.of("script"));

        List<Map.Entry<String, JsonNode>> calls = new ArrayList<>();
        for (String root : List.of("queryType", "mutationType")) {
            JsonNode schema = data(realm.graphql(String.format(INTROSPECT, root), null, null)).get("__schema");
            for (JsonNode field : schema.get(root).get("fields")) {
                calls.add(Map.entry(root.equals("queryType") ? "query" : "mutation", field));
            }
        }
        Collections.shuffle(calls, random);
        List<String> bearerFields = new ArrayList<>();
        for (Map.Entry<String, JsonNode> call : calls) {
            String name = call.getValue().get("name").asText();
            String document = document(call.getKey(), call.getValue(), owner[0], random);
            Http.Response anonymous = realm.graphql(document, null, null);
            // Executed (not refused by validation), or the generated arguments cover too little of the schema.
            assertTrue(anonymous.json().has("data"), "seed " + seed + ": " + document + " -> " + anonymous.body());
            if (!"UNAUTHENTICATED".equals(anonymous.json().at("/errors/0/extensions/code").asText())
                    || !anonymous.json().at("/errors/0/message").asText().startsWith("Authentication required")) {
                continue; // an operation without a bearer token (a credential or a refresh token is its proof)
            }
            bearerFields.add(name);
            Http.Response asScript = realm.graphql(document, null, script);
            if (READS.contains(name)) {
                assertTrue(asScript.json().path("errors").isMissingNode(), name + ": " + document + " -> " + asScript.body());
            } else {
                assertEquals("FORBIDDEN", asScript.json().at("/errors/0/extensions/code").asText(),
                        "seed " + seed + ": " + document + " -> " + asScript.body());
                assertTrue(asScript.json().at("/errors/0/message").asText().contains("personal access token"),
                        "refused as a personal access token's, not by another check: " + asScript.body());
            }
        }
        System.out.println("PersonalAccessTokenCallerIT: " + bearerFields.size() + " bearer operations " + bearerFields);
        assertTrue(bearerFields.containsAll(List.of("whoami", "users", "sessions", "updateAccount", "logout",
                "createPersonalAccessToken", "personalAccessTokens")), "seed " + seed + ": bearer fields found " + bearerFields);

        // The reads: its own record only; the owner is a manager, the token is not.
        error(realm.graphql("query($id: ID!) { user(id: $id) { id } }", Map.of("id", other[0]), script), "FORBIDDEN");
        assertEquals(owner[0], data(realm.graphql("{ whoami { id } }", null, script)).at("/whoami/id").asText());
        // The owner's sign-in session is untouched (logout was refused, with or without allSessions).
        assertFalse(realm.refresh(owner[2]).get("token").asText().isEmpty());
    }

    @Test
    void aPersonalAccessTokenMadeWithTheManagerRoleSeesTheDirectoryButStillChangesNoAccount() {
        String[] owner = owner();
        String manager = patAccessToken(owner[1], List.of("manager", "user"));
        assertTrue(data(realm.graphql("{ users(first: 5) { id } }", null, manager)).get("users").size() > 0);
        error(realm.graphql("mutation { updateAccount(firstName: \"Pwned\") { user { id } } }", null, manager), "FORBIDDEN");
        error(realm.graphql("{ sessions { id } }", null, manager), "FORBIDDEN");
        assertFalse("Pwned".equals(realm.admin.user(owner[0]).path("firstName").asText()), "the name is unchanged");
    }

    /**
     * Keycloak's admin API grants what the owner holds of realm-management within the client's scope, whatever the
     * token says; the export scope-maps view-users onto hasura-app. So such an owner gets no personal access token,
     * and one made before the owner got the role no longer logs in.
     */
    @Test
    void anOwnerWhoseTokensCarryKeycloakAdminRolesGetsNoPersonalAccessToken() {
        String[] user = realm.user();
        String elevated = realm.elevated(user[1]).get("token").asText();
        String secret = data(realm.createPat(elevated, "before", List.of("user"), 30)).at("/createPersonalAccessToken/token").asText();
        realm.admin.addClientRoles(user[0], realm.admin.clientUuid("realm-management"), "view-users");
        JsonNode refused = error(realm.createPat(realm.elevated(user[1]).get("token").asText(), "after", List.of("user"), 30), "FORBIDDEN");
        assertTrue(refused.path("message").asText().contains("view-users"), refused.toString());
        error(realm.patLogin(secret), "INVALID_TOKEN");
    }

    /** {@code field} called with generated arguments (the owner's id for an ID named id) and a selection of __typename. */
    private static String document(String operation, JsonNode field, String ownId, Random random) {
        StringBuilder args = new StringBuilder();
        for (JsonNode arg : field.get("args")) {
            boolean required = "NON_NULL".equals(arg.at("/type/kind").asText());
            if (!required && random.nextInt(3) == 0) {
                continue; // an optional argument is sent two times in three (logout's allSessions among them)
            }
            args.append(args.length() == 0 ? "" : ", ").append(arg.get("name").asText()).append(": ")
                    .append(value(arg.get("type"), arg.get("name").asText(), ownId, random));
        }
        String call = field.get("name").asText() + (args.length() == 0 ? "" : "(" + args + ")");
        JsonNode type = field.at("/type");
        while (type.has("ofType") && !type.get("ofType").isNull()) {
            type = type.get("ofType");
        }
        boolean leaf = Set.of("SCALAR", "ENUM").contains(type.path("kind").asText());
        return operation + " { " + call + (leaf ? "" : " { __typename }") + " }";
    }

    private static String value(JsonNode type, String name, String ownId, Random random) {
        switch (type.path("kind").asText()) {
            case "NON_NULL":
                return value(type.get("ofType"), name, ownId, random);
            case "LIST":
                return "[" + value(type.get("ofType"), name, ownId, random) + "]";
            default:
                break;
        }
        return switch (type.path("name").asText()) {
            case "Int" -> String.valueOf(1 + random.nextInt(30));
            case "Boolean" -> String.valueOf(random.nextBoolean());
            case "ID" -> name.equalsIgnoreCase("id") ? "\"" + ownId + "\"" : "\"" + Long.toHexString(random.nextLong()) + "\"";
            case "JSON" -> "{}";
            default -> "\"" + (name.toLowerCase().contains("password") ? StepUpRealm.PASSWORD : "x" + random.nextInt(1000)) + "\"";
        };
    }
}
