package io.github.keycloakhasura.graphql.engine;

import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.GraphqlConfig;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.RequestContext;
import io.github.keycloakhasura.graphql.spi.Capabilities;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The capabilities' SDL parts merged into one schema, and the engine's limits read from it ({@code @credential}). */
class SchemaAssemblyTest {

    private static final GraphqlConfig CONFIG = GraphqlConfig.from(key -> null);

    /** A capability of one mutation, marked or not. */
    private record Toy(String sdl) implements Capability {
        @Override
        public void wire(RuntimeWiring.Builder wiring) {
            wiring.type("Mutation", type -> type.dataFetcher("guess", env -> true));
        }
    }

    /** The root types and the directive, wiring nothing. */
    private static final Capability ROOT = new Capability() {
        @Override
        public String sdl() {
            return "directive @credential on FIELD_DEFINITION\ntype Query { ping: Boolean }\ntype Mutation { other: Boolean }";
        }

        @Override
        public void wire(RuntimeWiring.Builder wiring) {
        }
    };

    @Test
    void theServedSchemaMarksTheCredentialMutationsInCapabilityThenSchemaOrder() {
        assertEquals(List.of("tokenAuth", "passwordChange", "totpConfirm", "totpRemove", "updateAccount", "deleteAccount",
                "createUser", "passwordReset", "loginWithLink", "loginWithCode", "passkeyLogin", "passkeyRegister", "passkeyRemove", "elevate", "tokenAuthWithPersonalAccessToken"), Capabilities.schema().credentialFields());
    }

    @Test
    void theCredentialDirectiveIsReadNotServed() {
        assertNull(Capabilities.schema().graphql().getDirective(SchemaAssembly.CREDENTIAL));
        assertTrue(Capabilities.schema().graphql().getMutationType().getFieldDefinition("tokenAuth").getAppliedDirectives().isEmpty());
    }

    @Test
    void aCapabilityThatMarksItsMutationGetsTheOneCredentialFieldLimit() {
        ExecutableSchema marked = SchemaAssembly.schema(List.of(ROOT, new Toy("extend type Mutation { guess: Boolean @credential }")));
        assertEquals(List.of("guess"), marked.credentialFields());
        assertEquals(1, errors(marked, "mutation { a: guess b: guess }").size());
        ExecutableSchema unmarked = SchemaAssembly.schema(List.of(ROOT, new Toy("extend type Mutation { guess: Boolean }")));
        assertEquals(List.of(), errors(unmarked, "mutation { a: guess b: guess }"));
    }

    @Test
    void aFieldWiredByTwoCapabilitiesIsRefused() {
        Capability declares = new Toy("extend type Mutation { guess: Boolean }");
        Capability alsoWires = new Toy("extend type Query { pong: Boolean }");
        assertThrows(graphql.schema.idl.errors.StrictModeWiringException.class,
                () -> SchemaAssembly.schema(List.of(ROOT, declares, alsoWires)));
    }

    @Test
    void credentialOutsideMutationIsRefused() {
        assertThrows(IllegalStateException.class, () -> SchemaAssembly.schema(List.of(ROOT,
                new Toy("extend type Query { guess: Boolean @credential }"))));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> errors(ExecutableSchema schema, String query) {
        GraphqlEngine engine = new GraphqlEngine(CONFIG, schema);
        Map<String, Object> body = engine.execute(new GraphqlRequest(query, null, null),
                new RequestContext((io.github.keycloakhasura.graphql.api.Backend) null, CONFIG, List.of()).asGraphqlContext(), true).body();
        Object errors = body.get("errors");
        return errors == null ? List.of() : (List<Object>) errors;
    }
}
