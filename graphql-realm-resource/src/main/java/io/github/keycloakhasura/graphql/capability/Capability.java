package io.github.keycloakhasura.graphql.capability;

import graphql.schema.idl.RuntimeWiring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One capability of the GraphQL endpoint (tokens, organizations, passwordless, ...): its part of the schema and the
 * fetchers of its fields. The engine merges the parts of every capability listed in {@code spi.Capabilities} into
 * one executable schema; a part adds fields to {@code Query} and {@code Mutation} with {@code extend type}.
 */
public interface Capability {

    /** This capability's SDL (usually a {@code .graphqls} resource next to its class, see {@link #resource}). */
    String sdl();

    /** Wires the fetchers of the fields its SDL declares (and the accessors of its types). */
    void wire(RuntimeWiring.Builder wiring);

    /** The text of the resource {@code name} in {@code owner}'s package. */
    static String resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(owner.getPackageName() + "/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
