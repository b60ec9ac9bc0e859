package io.github.keycloakhasura.graphql.engine;

import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.spi.Capabilities;

import graphql.language.OperationDefinition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine without Keycloak: schema, limits, error codes, introspection switch, document cache. */
class GraphqlEngineTest {

    private final GraphqlConfig config = GraphqlConfig.from(Map.of("max-query-depth", "20", "document-cache-size", "2")::get);
    private final GraphqlEngine engine = new GraphqlEngine(config, Capabilities.schema());

    private GraphqlEngine.Outcome run(String query, boolean introspection) {
        return engine.execute(new GraphqlRequest(query, null, null), new RequestContext((io.github.keycloakhasura.graphql.api.Backend) null, config, List.of()).asGraphqlContext(), introspection);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> errors(GraphqlEngine.Outcome outcome) {
        return (List<Map<String, Object>>) outcome.body().get("errors");
    }

    @SuppressWarnings("unchecked")
    private static String code(Map<String, Object> error) {
        return (String) ((Map<String, Object>) error.get("extensions")).get("code");
    }

    @Test
    void schemaHasTheSeedsRootFieldsAndNoSubscriptions() {
        assertNull(engine.schema().getSubscriptionType());
        List<String> mutations = engine.schema().getMutationType().getFieldDefinitions().stream().map(f -> f.getName()).toList();
        assertTrue(mutations.containsAll(List.of("createUser", "refreshToken", "revokeToken", "tokenAuth", "verifyToken")), mutations.toString());
        // the caller's own account (issue 14)
        assertTrue(mutations.containsAll(List.of("passwordChange", "totpSetup", "totpConfirm", "totpRemove", "logout",
                "updateAccount", "deleteAccount")), mutations.toString());
        assertTrue(mutations.containsAll(List.of("passwordReset", "resendActivationEmail", "sendPasswordResetEmail",
                "verifyAccount")), mutations.toString());
        assertTrue(engine.schema().getQueryType().getFieldDefinition("whoami") != null);
        assertTrue(engine.schema().getQueryType().getFieldDefinition("users") != null);
    }

    @Test
    void introspectionWorksAndCanBeSwitchedOff() {
        GraphqlEngine.Outcome on = run("{ __schema { queryType { name } subscriptionType { name } } }", true);
        assertNull(on.body().get("errors"));
        assertFalse(on.requestError());
        GraphqlEngine.Outcome off = run("{ __schema { queryType { name } } }", false);
        assertEquals("FORBIDDEN", code(errors(off).get(0)));
        assertNull(run("{ __typename }", false).body().get("errors"), "__typename is always allowed");
    }

    @Test
    void syntaxValidationAndDepthErrorsAreBadUserInputRequestErrors() {
        for (String query : List.of("{ whoami {", "{ nope }", "subscription { whoami { id } }", "mutation { tokenAuth { token } }",
                "{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type { fields "
                        + "{ type { fields { type { name } } } } } } } } } } } } } } } }")) {
            GraphqlEngine.Outcome outcome = run(query, true);
            assertTrue(outcome.requestError(), query);
            assertEquals("BAD_USER_INPUT", code(errors(outcome).get(0)), query + " -> " + outcome.body());
        }
    }

    @Test
    void fetcherFailuresNeverLeakInternals() {
        // No Keycloak here: the whoami fetcher fails with a NullPointerException, which must come out as INTERNAL.
        GraphqlEngine.Outcome outcome = run("{ whoami { id } }", true);
        Map<String, Object> error = errors(outcome).get(0);
        assertEquals("INTERNAL", code(error));
        assertTrue(((String) error.get("message")).startsWith("Internal server error (error id "), error.toString());
        assertFalse(outcome.body().toString().contains("NullPointerException"));
        assertEquals(List.of("whoami"), error.get("path"));
        assertFalse(outcome.requestError(), "data is present (null)");
    }

    @Test
    void validDocumentsAreCachedAndTheCacheIsBounded() {
        run("{ __typename }", true);
        run("{ __typename }", true);
        assertEquals(1, engine.cachedDocuments());
        run("{ nope }", true);
        assertEquals(1, engine.cachedDocuments(), "invalid documents are not cached");
        run("{ a: __typename }", true);
        run("{ b: __typename }", true);
        assertEquals(2, engine.cachedDocuments());
    }

    @Test
    void operationTypeForTheGetRule() {
        assertEquals(OperationDefinition.Operation.QUERY, engine.operation("{ x }", null));
        assertEquals(OperationDefinition.Operation.MUTATION, engine.operation("mutation { x }", null));
        assertEquals(OperationDefinition.Operation.MUTATION, engine.operation("query A { x } mutation B { y }", "B"));
        assertEquals(OperationDefinition.Operation.QUERY, engine.operation("query A { x } mutation B { y }", "A"));
        assertNull(engine.operation("query A { x } mutation B { y }", null));
        assertNull(engine.operation("{ x", null));
    }
}
