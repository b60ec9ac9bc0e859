package io.github.keycloakhasura.mapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClaimsQueryOptionsTest {

    private static final String URL = "http://graphql-engine:8080/v1/graphql";
    private static final String QUERY = "query($id: String!) { users_by_pk(id: $id) { plan team_id } }";

    private static Map<String, String> query(String map) {
        Map<String, String> raw = new HashMap<>();
        raw.put(ClaimsQueryOptions.URL, URL);
        raw.put(ClaimsQueryOptions.QUERY, QUERY);
        raw.put(ClaimsQueryOptions.MAP, map);
        return raw;
    }

    @Test
    void offByDefaultWithDocumentedDefaults() {
        ClaimsQueryOptions off = HasuraMapperConfig.parse(Map.of()).claimsQuery();
        assertFalse(off.enabled());
        assertEquals(Duration.ofSeconds(60), off.ttl());
        assertEquals(Duration.ofMillis(500), off.timeout());
        assertEquals(ClaimsQueryOptions.OnFailure.CLOSED, off.onFailure());
    }

    @Test
    void theIssueExampleMapsPathsToLowerCaseHasuraNames() {
        Map<String, String> raw = query("users_by_pk.plan:plan, users_by_pk.team_id:Team-Id");
        raw.put(ClaimsQueryOptions.TTL, "5");
        raw.put(ClaimsQueryOptions.TIMEOUT, "250");
        raw.put(ClaimsQueryOptions.ON_FAILURE, "omit");
        ClaimsQueryOptions options = HasuraMapperConfig.parse(raw).claimsQuery();
        assertTrue(options.enabled());
        assertEquals(URL, options.url().toString());
        assertEquals(List.of(new ClaimsQueryOptions.Mapping("users_by_pk.plan", "x-hasura-plan"),
                new ClaimsQueryOptions.Mapping("users_by_pk.team_id", "x-hasura-team-id")), options.mappings());
        assertEquals(Duration.ofSeconds(5), options.ttl());
        assertEquals(Duration.ofMillis(250), options.timeout());
        assertEquals(ClaimsQueryOptions.OnFailure.OMIT, options.onFailure());
    }

    @ParameterizedTest(name = "map {0} is refused as a reserved name")
    @ValueSource(strings = {"users_by_pk.plan:role", "users_by_pk.plan:X-Hasura-Role", "a.b:allowed-roles",
            "a.b:DEFAULT-ROLE", "a:user-id", "a:x-hasura-admin-secret", "a:access-key", "a:use-backend-only-permissions"})
    void reservedNamesAreRefusedByTheSameRule(String map) {
        InvalidMapperConfigException e = assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(query(map)));
        assertTrue(e.getMessage().contains("reserves"), e.getMessage());
        assertTrue(e.getMessage().startsWith("Claims query map"), e.getMessage());
    }

    @Test
    void aNameAnotherOptionWritesIsRefused() {
        Map<String, String> raw = query("users_by_pk.plan:plan");
        raw.put(HasuraMapperConfig.SESSION_VARIABLES, "plan");
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(raw));
        Map<String, String> org = query("users_by_pk.org:org-id");
        org.put(HasuraMapperConfig.ORGANIZATIONS, "true");
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(org));
        assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(query("a.plan:plan,b.plan:plan")));
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', value = {
            "hasura.claims-query.url|ftp://hasura/v1/graphql",
            "hasura.claims-query.url|graphql-engine:8080/v1/graphql",
            "hasura.claims-query.url|http://user:pw@hasura/v1/graphql",
            "hasura.claims-query|mutation($id: String!) { delete_users_by_pk(id: $id) { id } }",
            "hasura.claims-query|query { users { plan } }",
            "hasura.claims-query.map|users_by_pk.plan",
            "hasura.claims-query.map|users_by_pk..plan:plan",
            "hasura.claims-query.map|0.plan:plan",
            "hasura.claims-query.map|users_by_pk.plan:pl an",
            "hasura.claims-query.ttl|-1",
            "hasura.claims-query.ttl|86401",
            "hasura.claims-query.ttl|1m",
            "hasura.claims-query.timeout|0",
            "hasura.claims-query.timeout|30001",
            "hasura.claims-query.on-failure|open",
    })
    void nonsenseIsRefusedWithTheOptionNamed(String key, String value) {
        Map<String, String> raw = query("users_by_pk.plan:plan");
        raw.put(key, value);
        InvalidMapperConfigException e = assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(raw));
        assertTrue(e.getMessage().toLowerCase().contains("claims query") || e.getMessage().contains("\"pl an\""),
                e.getMessage());
    }

    @ParameterizedTest(name = "only {0} set is refused")
    @ValueSource(strings = {ClaimsQueryOptions.URL, ClaimsQueryOptions.QUERY, ClaimsQueryOptions.MAP})
    void theUrlQueryAndMapGoTogether(String only) {
        Map<String, String> raw = new HashMap<>(query("users_by_pk.plan:plan"));
        raw.keySet().removeIf(k -> !k.equals(only));
        InvalidMapperConfigException e = assertThrows(InvalidMapperConfigException.class, () -> HasuraMapperConfig.parse(raw));
        assertTrue(e.getMessage().contains("all three"), e.getMessage());
    }

    @Test
    void theAppDataIsAddedAfterTheRestOnlyUnderDeclaredNamesAndNeverWithoutClaims() {
        HasuraMapperConfig config = HasuraMapperConfig.parse(query("users_by_pk.plan:plan,users_by_pk.team_id:team-id"));
        Map<String, Object> claims = HasuraClaims.compute(config, new HasuraClaims.Subject("id-1", "u", Map.of(),
                List.of("user"), List.of(), List.of()));
        Map<String, Object> with = HasuraClaims.withAppData(config, claims, Map.of("x-hasura-plan", "pro",
                "x-hasura-role", "admin", "x-hasura-other", "x"));
        assertEquals(List.of("x-hasura-allowed-roles", "x-hasura-default-role", "x-hasura-user-id", "x-hasura-plan"),
                List.copyOf(with.keySet()));
        assertEquals("pro", with.get("x-hasura-plan"));
        assertTrue(HasuraClaims.withAppData(config, Map.of(), Map.of("x-hasura-plan", "pro")).isEmpty());
    }
}
