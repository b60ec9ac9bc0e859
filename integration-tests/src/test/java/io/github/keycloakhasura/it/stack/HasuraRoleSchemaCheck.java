package io.github.keycloakhasura.it.stack;

import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.InterfaceTypeDefinition;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ScalarTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.language.TypeName;
import graphql.language.UnionTypeDefinition;
import graphql.parser.Parser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Hasura's validation of a role's remote schema permission against the upstream schema
 * ({@code Hasura.RQL.DDL.RemoteSchema.Permission.validateRemoteSchema}; read, not copied): every type the role's
 * document defines exists upstream with the same kind; object and interface fields exist with identical types
 * (nullability included); arguments exist with identical types and equal default values, and every non-null
 * upstream argument is kept as non-null; enum values and union members are subsets; objects implement only
 * upstream interfaces; non built-in scalars exist upstream; at most one schema definition. Hasura then builds the
 * role's schema from the document alone, so every type it refers to must be defined in it (built-in scalars
 * excepted). Returns Hasura-style messages; empty when Hasura would accept the permission.
 */
final class HasuraRoleSchemaCheck {

    private static final Set<String> BUILT_IN_SCALARS = Set.of("ID", "Int", "Float", "Boolean", "String");

    private final Map<String, TypeDefinition<?>> upstream;

    HasuraRoleSchemaCheck(Document upstreamDocument) {
        this.upstream = types(upstreamDocument);
    }

    List<String> problems(String roleSdl) {
        Document provided = Parser.parse(roleSdl);
        List<String> errors = new ArrayList<>();
        long schemas = provided.getDefinitions().stream().filter(d -> d instanceof SchemaDefinition).count();
        if (schemas > 1) {
            errors.add("multiple schema definitions found");
        }
        List<TypeDefinition<?>> defs = provided.getDefinitionsOfType(TypeDefinition.class).stream()
                .map(d -> (TypeDefinition<?>) d).collect(Collectors.toList());
        Set<String> seen = new HashSet<>();
        defs.forEach(d -> {
            if (!seen.add(d.getName())) {
                errors.add("duplicate type names found: " + d.getName());
            }
        });
        Map<String, TypeDefinition<?>> mine = types(provided);
        for (TypeDefinition<?> def : defs) {
            TypeDefinition<?> up = upstream.get(def.getName());
            if (def instanceof ScalarTypeDefinition) {
                if (!BUILT_IN_SCALARS.contains(def.getName()) && !(up instanceof ScalarTypeDefinition)) {
                    errors.add("scalar \"" + def.getName() + "\" does not exist in the upstream remote schema");
                }
                continue;
            }
            if (up == null || up.getClass() != def.getClass()) {
                errors.add(kind(def) + ": \"" + def.getName() + "\" does not exist in the upstream remote schema");
                continue;
            }
            if (def instanceof ObjectTypeDefinition o) {
                ObjectTypeDefinition u = (ObjectTypeDefinition) up;
                Set<String> upIfaces = names(u.getImplements());
                names(o.getImplements()).stream().filter(i -> !upIfaces.contains(i)).forEach(i ->
                        errors.add("object \"" + o.getName() + "\" implements \"" + i + "\" which the upstream object does not"));
                fields(o.getName(), o.getFieldDefinitions(), u.getFieldDefinitions(), errors);
            } else if (def instanceof InterfaceTypeDefinition i) {
                fields(i.getName(), i.getFieldDefinitions(), ((InterfaceTypeDefinition) up).getFieldDefinitions(), errors);
            } else if (def instanceof InputObjectTypeDefinition in) {
                arguments(in.getName(), in.getInputValueDefinitions(), ((InputObjectTypeDefinition) up).getInputValueDefinitions(), errors);
            } else if (def instanceof EnumTypeDefinition e) {
                Set<String> upValues = ((EnumTypeDefinition) up).getEnumValueDefinitions().stream()
                        .map(EnumValueDefinition::getName).collect(Collectors.toSet());
                e.getEnumValueDefinitions().stream().map(EnumValueDefinition::getName).filter(v -> !upValues.contains(v))
                        .forEach(v -> errors.add("enum \"" + e.getName() + "\" value \"" + v + "\" does not exist upstream"));
            } else if (def instanceof UnionTypeDefinition un) {
                Set<String> upMembers = names(((UnionTypeDefinition) up).getMemberTypes());
                names(un.getMemberTypes()).stream().filter(m -> !upMembers.contains(m))
                        .forEach(m -> errors.add("union \"" + un.getName() + "\" member \"" + m + "\" does not exist upstream"));
            }
        }
        for (String referenced : referencedTypes(provided)) {
            if (!mine.containsKey(referenced) && !BUILT_IN_SCALARS.contains(referenced)) {
                errors.add("type \"" + referenced + "\" is used but not defined in the role's schema");
            }
        }
        return errors;
    }

    private void fields(String parent, List<FieldDefinition> provided, List<FieldDefinition> up, List<String> errors) {
        Map<String, FieldDefinition> upFields = up.stream().collect(Collectors.toMap(FieldDefinition::getName, Function.identity()));
        for (FieldDefinition f : provided) {
            FieldDefinition u = upFields.get(f.getName());
            if (u == null) {
                errors.add("field \"" + f.getName() + "\" does not exist in the \"" + parent + "\"");
                continue;
            }
            if (!print(f.getType()).equals(print(u.getType()))) {
                errors.add("expected type of \"" + parent + "." + f.getName() + "\" to be " + print(u.getType())
                        + " but received " + print(f.getType()));
            }
            arguments(parent + "." + f.getName(), f.getInputValueDefinitions(), u.getInputValueDefinitions(), errors);
        }
    }

    private void arguments(String parent, List<InputValueDefinition> provided, List<InputValueDefinition> up, List<String> errors) {
        Set<String> providedNonNull = provided.stream().filter(a -> a.getType() instanceof NonNullType)
                .map(InputValueDefinition::getName).collect(Collectors.toSet());
        up.stream().filter(a -> a.getType() instanceof NonNullType).map(InputValueDefinition::getName)
                .filter(n -> !providedNonNull.contains(n))
                .forEach(n -> errors.add("\"" + parent + "\" expects the non nullable argument \"" + n + "\" to be present"));
        Map<String, InputValueDefinition> upArgs = up.stream().collect(Collectors.toMap(InputValueDefinition::getName, Function.identity()));
        for (InputValueDefinition a : provided) {
            InputValueDefinition u = upArgs.get(a.getName());
            if (u == null) {
                errors.add("input argument \"" + a.getName() + "\" does not exist in \"" + parent + "\"");
                continue;
            }
            if (!print(a.getType()).equals(print(u.getType()))) {
                errors.add("expected type of argument \"" + parent + "(" + a.getName() + ")\" to be " + print(u.getType())
                        + " but received " + print(a.getType()));
            }
            if (!print(a.getDefaultValue()).equals(print(u.getDefaultValue()))) {
                errors.add("expected default value of \"" + parent + "(" + a.getName() + ")\" to be "
                        + print(u.getDefaultValue()) + " but received " + print(a.getDefaultValue()));
            }
        }
    }

    private static Set<String> referencedTypes(Document doc) {
        Set<String> refs = new HashSet<>();
        for (TypeDefinition<?> def : doc.getDefinitionsOfType(TypeDefinition.class)) {
            if (def instanceof ObjectTypeDefinition o) {
                o.getFieldDefinitions().forEach(f -> collect(f, refs));
                refs.addAll(names(o.getImplements()));
            } else if (def instanceof InterfaceTypeDefinition i) {
                i.getFieldDefinitions().forEach(f -> collect(f, refs));
            } else if (def instanceof InputObjectTypeDefinition in) {
                in.getInputValueDefinitions().forEach(a -> refs.add(named(a.getType())));
            } else if (def instanceof UnionTypeDefinition u) {
                refs.addAll(names(u.getMemberTypes()));
            }
        }
        doc.getDefinitionsOfType(SchemaDefinition.class).forEach(s ->
                s.getOperationTypeDefinitions().forEach(op -> refs.add(op.getTypeName().getName())));
        return refs;
    }

    private static void collect(FieldDefinition f, Set<String> refs) {
        refs.add(named(f.getType()));
        f.getInputValueDefinitions().forEach(a -> refs.add(named(a.getType())));
    }

    private static String named(Type<?> type) {
        if (type instanceof NonNullType n) {
            return named(n.getType());
        }
        if (type instanceof ListType l) {
            return named(l.getType());
        }
        return ((TypeName) type).getName();
    }

    private static Set<String> names(List<? extends Type> types) {
        return types.stream().map(t -> named((Type<?>) t)).collect(Collectors.toSet());
    }

    private static String print(graphql.language.Node<?> node) {
        return node == null ? "(none)" : AstPrinter.printAst(node);
    }

    private static String kind(TypeDefinition<?> def) {
        return def.getClass().getSimpleName().replace("TypeDefinition", "");
    }

    private static Map<String, TypeDefinition<?>> types(Document doc) {
        Map<String, TypeDefinition<?>> map = new HashMap<>();
        for (TypeDefinition<?> d : doc.getDefinitionsOfType(TypeDefinition.class)) {
            map.putIfAbsent(d.getName(), d);
        }
        return map;
    }
}
