package io.github.keycloakhasura.graphql.engine;

import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.parser.Parser;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.github.keycloakhasura.graphql.capability.Capability;

import java.util.ArrayList;
import java.util.List;

/**
 * The executable schema from the capabilities' parts: their SDL merged into one registry (a part extends
 * {@code Query} and {@code Mutation}), their fetchers into one wiring (strict: a field wired twice is an error).
 * The engine's own directive, {@code @credential}, is read here and removed, so the served schema (introspection)
 * does not show it.
 */
public final class SchemaAssembly {

    /** Marks a mutation field that checks or sets a credential (declared in the first capability's SDL). */
    public static final String CREDENTIAL = "credential";

    private SchemaAssembly() {
    }

    public static ExecutableSchema schema(List<? extends Capability> capabilities) {
        TypeDefinitionRegistry registry = new TypeDefinitionRegistry();
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring().strictMode();
        SchemaParser parser = new SchemaParser();
        List<String> credentialFields = new ArrayList<>();
        for (Capability capability : capabilities) {
            registry.merge(parser.buildRegistry(withoutCredential(Parser.parse(capability.sdl()), credentialFields)));
            capability.wire(wiring);
        }
        return new ExecutableSchema(new SchemaGenerator().makeExecutableSchema(registry, wiring.build()), credentialFields);
    }

    /** Every part's SDL, in order: the schema as the capabilities declare it. */
    public static String sdl(List<? extends Capability> capabilities) {
        StringBuilder sdl = new StringBuilder();
        for (Capability capability : capabilities) {
            sdl.append(capability.sdl()).append('\n');
        }
        return sdl.toString();
    }

    /** {@code document} without {@code @credential}; the Mutation fields that had it are added to {@code marked}. */
    static Document withoutCredential(Document document, List<String> marked) {
        List<Definition> definitions = new ArrayList<>();
        for (Definition<?> definition : document.getDefinitions()) {
            if (definition instanceof DirectiveDefinition directive && directive.getName().equals(CREDENTIAL)) {
                continue;
            }
            if (definition instanceof ObjectTypeDefinition type) {
                List<FieldDefinition> fields = new ArrayList<>();
                for (FieldDefinition field : type.getFieldDefinitions()) {
                    if (field.hasDirective(CREDENTIAL)) {
                        if (!type.getName().equals("Mutation")) {
                            throw new IllegalStateException("@" + CREDENTIAL + " is for Mutation fields, not "
                                    + type.getName() + "." + field.getName());
                        }
                        marked.add(field.getName());
                        List<Directive> others = field.getDirectives().stream()
                                .filter(d -> !d.getName().equals(CREDENTIAL)).toList();
                        fields.add(field.transform(b -> b.directives(others)));
                    } else {
                        fields.add(field);
                    }
                }
                definition = type instanceof ObjectTypeExtensionDefinition extension
                        ? extension.transformExtension(b -> b.fieldDefinitions(fields))
                        : type.transform(b -> b.fieldDefinitions(fields));
            }
            definitions.add(definition);
        }
        return document.transform(b -> b.definitions(definitions));
    }
}
