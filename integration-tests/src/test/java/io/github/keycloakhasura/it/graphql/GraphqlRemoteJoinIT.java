package io.github.keycloakhasura.it.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.Jwt;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.graphql.GraphqlClient.data;
import static io.github.keycloakhasura.it.graphql.GraphqlClient.error;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hasura's remote join {@code notes { title owner { username email } }} (hasura/metadata/.../public_notes.yaml), as
 * Hasura sends it (Hasura.GraphQL.Execute.RemoteJoin.RemoteSchema): one anonymous query per page, one field per distinct
 * owner_id aliased {@code f0, f1, …}, the id inlined as a string literal, no variables, the client's headers forwarded.
 */
@ExtendWith(KeycloakExtension.class)
class GraphqlRemoteJoinIT {

    private static final String PASSWORD = "Secret-pass-123";

    private static KeycloakServer server;
    private static KeycloakAdmin admin;
    private static GraphqlClient graphql;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) {
        server = keycloak;
        admin = new KeycloakAdmin(keycloak);
        graphql = new GraphqlClient(keycloak);
    }

    /** The document Hasura builds for a page of notes whose distinct owners are {@code ownerIds}. */
    static String hasuraJoin(List<String> ownerIds, String selection) {
        StringBuilder query = new StringBuilder("query {");
        for (int i = 0; i < ownerIds.size(); i++) {
            query.append(" f").append(i).append(": user(id: \"").append(ownerIds.get(i)).append("\") { ")
                    .append(selection).append(" }");
        }
        return query.append(" }").toString();
    }

    /** Hasura's outgoing GQLReq: query, no operation name, no variables. */
    private static Http.Response send(String query, String... bearers) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("query", query);
        body.put("operationName", null);
        body.put("variables", null);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(graphql.url()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.valueToTree(body).toString()));
        for (String bearer : bearers) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return Http.send(request);
    }

    private static String token(String username) {
        return data(graphql.post(GraphqlAuthIT.TOKEN_AUTH, Map.of("u", username, "p", PASSWORD), null))
                .get("tokenAuth").get("token").asText();
    }

    @Test
    void aManagersPageOfAHundredNotesWithAHundredOwnersIsOneAnsweredRequest() {
        String managerName = unique("join-lead");
        admin.addRealmRoles(admin.createUser(managerName, PASSWORD, null), "manager");
        String manager = token(managerName);
        List<String> usernames = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String username = unique("owner" + i);
            usernames.add(username);
            ids.add(admin.createUser(username, PASSWORD, null));
        }

        JsonNode data = data(send(hasuraJoin(ids, "username email"), manager));
        assertEquals(100, data.size(), data.toString());
        for (int i = 0; i < 100; i++) {
            assertEquals(usernames.get(i), data.get("f" + i).get("username").asText(), "f" + i);
            assertTrue(data.get("f" + i).has("email"));
        }
    }

    @Test
    void aPlainUserJoinsTheirOwnNotesButNoOneElses() {
        String username = unique("join-me");
        String own = admin.createUser(username, PASSWORD, null);
        String plain = token(username);
        assertEquals(own, Jwt.payload(plain).get("sub").asText());

        JsonNode self = data(send(hasuraJoin(List.of(own), "username email"), plain));
        assertEquals(username, self.get("f0").get("username").asText());

        String other = admin.createUser(unique("join-other"), PASSWORD, null);
        for (String id : List.of(other, "no-such-user")) {
            Http.Response refused = send(hasuraJoin(List.of(id), "username email"), plain);
            error(refused, "FORBIDDEN");
            assertTrue(refused.json().at("/data/f0").isNull(), refused.body());
        }
    }

    @Test
    void theLimitsStillRefuseAbuseShapedLikeAJoin() {
        String username = unique("join-abuse");
        String own = admin.createUser(username, PASSWORD, null);
        String plain = token(username);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(own);
        }
        // More aliases than a page of owners: the token limit (max-query-tokens) refuses it before execution.
        Http.Response tooLong = send(hasuraJoin(many, "username email"), plain);
        assertTrue(tooLong.json().path("data").isMissingNode() || tooLong.json().path("data").isNull(), tooLong.body());
        assertEquals(1, tooLong.json().get("errors").size(), tooLong.body());

        // A page of owners multiplied through a fragment of every User field: within the token limit, but
        // complexity 100 × 11 > max-query-complexity.
        Http.Response tooComplex = send(hasuraJoin(many.subList(0, 100), "...U")
                + " fragment U on User { id username email firstName lastName emailVerified isActive dateJoined roles hasura }", plain);
        assertTrue(tooComplex.body().contains("maximum query complexity exceeded"), tooComplex.body());
        assertTrue(tooComplex.json().path("data").isMissingNode() || tooComplex.json().path("data").isNull(), tooComplex.body());

        // One credential per request: Hasura forwards exactly one Authorization header.
        Http.Response twoCredentials = send(hasuraJoin(List.of(own), "username"), plain, plain);
        assertTrue(twoCredentials.body().contains("UNAUTHENTICATED"), twoCredentials.body());
    }
}
