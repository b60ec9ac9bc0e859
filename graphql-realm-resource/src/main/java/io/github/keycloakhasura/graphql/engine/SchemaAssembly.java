package io.github.keycloakhasura.graphql.engine;

import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.github.keycloakhasura.graphql.capability.Capability;

import java.util.List;

/**
 * The executable schema from the capabilities' parts: their SDL merged into one registry (a part extends
 * {@code Query} and {@code Mutation}), their fetchers into one wiring. Strict: a field wired twice is an error.
 */
public final class SchemaAssembly {

    private SchemaAssembly() {
    }

    public static GraphQLSchema schema(List<? extends Capability> capabilities) {
        TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring().strictMode();
        SchemaParser parser = new SchemaParser();
        for (Capability capability : capabilities) {
            registry.merge(parser.parse(capability.sdl()));
            capability.wire(wiring);
        }
        return new SchemaGenerator().makeExecutableSchema(registry, wiring.build());
    }

    /** Every part's SDL, in order: the schema as served (before graphql-java's own directives). */
    public static String sdl(List<? extends Capability> capabilities) {
        StringBuilder sdl = new StringBuilder();
        for (Capability capability : capabilities) {
            sdl.append(capability.sdl()).append('\n');
        }
        return sdl.toString();
    }
}
