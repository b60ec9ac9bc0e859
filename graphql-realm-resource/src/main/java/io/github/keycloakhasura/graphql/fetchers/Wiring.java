package io.github.keycloakhasura.graphql.fetchers;

import graphql.schema.idl.RuntimeWiring;
import io.github.keycloakhasura.graphql.capability.Capability;
import io.github.keycloakhasura.graphql.capability.TokenFields;

/**
 * The core of the schema: schema.graphqls (the root types, {@code JSON}, {@code @credential}, tokenAuth's declaration,
 * the shared types: the token answers, {@code User}, {@code UserPage}, {@code Profile}, {@code AccountResult}) and the
 * wiring of the token answers. The capability packages extend it.
 */
public final class Wiring implements Capability {

    public static final String SCHEMA_RESOURCE = "schema.graphqls";

    @Override
    public String sdl() {
        return Capability.resource(Wiring.class, SCHEMA_RESOURCE);
    }

    @Override
    public void wire(RuntimeWiring.Builder wiring) {
        wiring.scalar(JsonScalar.create())
                // The token answers' fields read straight from the record (the default looks them up by name).
                .type("ObtainJSONWebToken", TokenFields::wire)
                .type("Refresh", TokenFields::wire);
    }
}
