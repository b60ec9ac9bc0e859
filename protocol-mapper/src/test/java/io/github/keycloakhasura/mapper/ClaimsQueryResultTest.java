package io.github.keycloakhasura.mapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimsQueryResultTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ClaimsQueryOptions options(String map) {
        return HasuraMapperConfig.parse(Map.of(ClaimsQueryOptions.URL, "http://h/v1/graphql",
                ClaimsQueryOptions.QUERY, "query($id: String!) { users_by_pk(id: $id) { plan team_id } }",
                ClaimsQueryOptions.MAP, map)).claimsQuery();
    }

    private static Map<String, String> values(String map, String answer) throws Exception {
        return ClaimsQueryResult.values(options(map), JSON.readTree(answer));
    }

    @Test
    void scalarsBecomeTheirTextAndListsPostgresArrays() throws Exception {
        assertEquals(Map.of("x-hasura-plan", "pro", "x-hasura-team-id", "42", "x-hasura-beta", "true",
                        "x-hasura-tags", "{a,\"b c\"}", "x-hasura-first", "t1"),
                values("users_by_pk.plan:plan,users_by_pk.team_id:team-id,users_by_pk.beta:beta,users_by_pk.tags:tags,"
                                + "users_by_pk.teams.0.id:first",
                        "{\"data\":{\"users_by_pk\":{\"plan\":\"pro\",\"team_id\":42,\"beta\":true,\"tags\":[\"a\",\"b c\"],"
                                + "\"teams\":[{\"id\":\"t1\"},{\"id\":\"t2\"}]}}}"));
    }

    @Test
    void aMissingRowOrNullValueLeavesTheVariableOut() throws Exception {
        assertEquals(Map.of(), values("users_by_pk.plan:plan", "{\"data\":{\"users_by_pk\":null}}"));
        assertEquals(Map.of("x-hasura-plan", "free"), values("users_by_pk.plan:plan,users_by_pk.team_id:team-id",
                "{\"data\":{\"users_by_pk\":{\"plan\":\"free\",\"team_id\":null}}}"));
        assertEquals(Map.of(), values("users_by_pk.teams.3.id:first", "{\"data\":{\"users_by_pk\":{\"teams\":[]}}}"));
    }

    @Test
    void errorsNoDataOrAnObjectWhereAValueBelongsFailTheQuery() {
        ClaimsQueryFailure errors = assertThrows(ClaimsQueryFailure.class, () -> values("users_by_pk.plan:plan",
                "{\"errors\":[{\"message\":\"field users_by_pk not found\"}],\"data\":null}"));
        assertEquals("Hasura answered with GraphQL errors", errors.getMessage());
        assertTrue(errors.detail().contains("users_by_pk not found"), errors.detail());
        assertThrows(ClaimsQueryFailure.class, () -> values("users_by_pk.plan:plan", "{\"data\":null}"));
        assertThrows(ClaimsQueryFailure.class, () -> values("users_by_pk.plan:plan", "[1]"));
        ClaimsQueryFailure object = assertThrows(ClaimsQueryFailure.class, () -> values("users_by_pk:plan",
                "{\"data\":{\"users_by_pk\":{\"plan\":\"pro\"}}}"));
        assertTrue(object.getMessage().contains("users_by_pk"), object.getMessage());
        assertThrows(ClaimsQueryFailure.class, () -> values("users_by_pk.tags:tags",
                "{\"data\":{\"users_by_pk\":{\"tags\":[[\"a\"]]}}}"));
    }

    @Test
    void anEmptyErrorListIsNoError() throws Exception {
        JsonNode answer = JSON.readTree("{\"errors\":[],\"data\":{\"users_by_pk\":{\"plan\":\"pro\"}}}");
        assertEquals(Map.of("x-hasura-plan", "pro"), ClaimsQueryResult.values(options("users_by_pk.plan:plan"), answer));
    }
}
