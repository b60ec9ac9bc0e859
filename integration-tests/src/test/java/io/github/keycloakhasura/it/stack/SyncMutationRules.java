package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.AstPrinter;
import graphql.language.BooleanValue;
import graphql.language.Document;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.parser.Parser;
import io.github.keycloakhasura.it.stack.RoleTables.Column;
import io.github.keycloakhasura.it.stack.RoleTables.Table;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether Hasura v2 would take one request body ({@code query} + {@code variables}) from a role, judged offline against
 * {@link RoleTables}: the rules Hasura builds a role's mutation fields by (read in its server sources,
 * {@code Hasura.GraphQL.Schema.Mutation}, {@code .Update} and {@code Hasura.Backends.Postgres.Schema.OnConflict}):
 * <ul>
 * <li>{@code insert_<t>_one} exists only with an insert permission and a select permission (it returns the row); its
 *     {@code object} ({@code <t>_insert_input}) has the insert permission's columns;</li>
 * <li>{@code on_conflict.constraint} is one of the table's primary key or unique constraints; {@code update_columns}
 *     ({@code <t>_update_column}) are columns of the role's update permission: an upsert needs it;</li>
 * <li>{@code update_<t>_by_pk} / {@code delete_<t>_by_pk} exist only with an update / delete permission and a select
 *     permission covering every primary key column; {@code pk_columns} / the arguments are exactly the key, non-null;
 *     {@code _set} ({@code <t>_set_input}) has the update permission's columns;</li>
 * <li>a selection is made of the select permission's columns; a backend-only permission is not offered to a request
 *     without the admin secret; every variable sent is declared and used (else "unexpected variables").</li>
 * </ul>
 * PostgreSQL's side too: a value fits its column's type, null only where the column is nullable, every NOT NULL
 * column without a default is given. And the sync's own rule: an upsert updates only columns it sends.
 */
final class SyncMutationRules {

    private final Map<String, Table> tables;

    SyncMutationRules(Map<String, Table> tables) {
        this.tables = tables;
    }

    /** What Hasura or PostgreSQL would refuse in this request, in words; empty when it goes through. */
    List<String> problems(JsonNode body) {
        List<String> problems = new ArrayList<>();
        Document document = Parser.parse(body.get("query").asText());
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operations.size() != 1 || operations.get(0).getOperation() != OperationDefinition.Operation.MUTATION) {
            return List.of("not one mutation: " + body.get("query").asText());
        }
        OperationDefinition operation = operations.get(0);
        JsonNode variables = body.path("variables");
        Map<String, String> declared = new LinkedHashMap<>();
        for (VariableDefinition v : operation.getVariableDefinitions()) {
            declared.put(v.getName(), AstPrinter.printAst(v.getType()));
        }
        Request request = new Request(declared, variables, new LinkedHashSet<>(), problems);
        for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
            rootField((Field) selection, request);
        }
        variables.fieldNames().forEachRemaining(name -> {
            if (!request.used().contains(name)) {
                problems.add("unexpected variables in variableValues: " + name);
            }
        });
        declared.forEach((name, type) -> {
            if (!request.used().contains(name)) {
                problems.add("variable $" + name + " is declared but not used");
            }
            JsonNode value = variables.path(name);
            if (type.endsWith("!") && (value.isNull() || value.isMissingNode())) {
                problems.add("expecting a value for non-nullable variable: $" + name);
            }
        });
        return problems;
    }

    private record Request(Map<String, String> declared, JsonNode variables, Set<String> used, List<String> problems) {
    }

    private void rootField(Field field, Request r) {
        field.getArguments().forEach(a -> used(a.getValue(), r.used()));
        for (Table t : tables.values()) {
            if (field.getName().equals(t.rootField("insert_one"))) {
                insertOne(t, field, r);
                return;
            }
            if (field.getName().equals(t.rootField("update_by_pk"))) {
                updateByPk(t, field, r);
                return;
            }
            if (field.getName().equals(t.rootField("delete_by_pk"))) {
                deleteByPk(t, field, r);
                return;
            }
        }
        r.problems().add("field '" + field.getName() + "' not found in type: 'mutation_root' (no tracked table generates it)");
    }

    private void insertOne(Table t, Field field, Request r) {
        String where = field.getName() + ": ";
        if (!offered(t.insert()) || t.select() == null) {
            r.problems().add(where + "not generated for the role: it needs an insert permission and a select permission");
            return;
        }
        JsonNode object = value(argument(field, "object"), t.name() + "_insert_input", r);
        if (object == null || !object.isObject()) {
            r.problems().add(where + "object is not an object: " + object);
            return;
        }
        columns(t, object, t.insert().columns(), "insert", where, r);
        for (Column c : t.columns().values()) {
            if (!c.nullable() && !c.hasDefault() && !t.insert().presets().contains(c.name()) && !object.has(c.name())) {
                r.problems().add(where + "NOT NULL column " + c.name() + " (no default) is not given");
            }
        }
        Value<?> onConflict = argument(field, "on_conflict");
        if (onConflict != null) {
            JsonNode conflict = value(onConflict, t.name() + "_on_conflict", r);
            if (!t.constraints().contains(conflict.path("constraint").asText())) {
                r.problems().add(where + "constraint " + conflict.path("constraint") + " is not one of " + t.constraints());
            }
            for (JsonNode column : conflict.path("update_columns")) {
                if (t.update() == null || !t.update().columns().contains(column.asText())) {
                    r.problems().add(where + "update_columns: " + column.asText() + " is not in " + t.name()
                            + "_update_column (the role's update permission)");
                }
                if (!object.has(column.asText())) {
                    r.problems().add(where + "update_columns: " + column.asText() + " is not sent, so an update resets it");
                }
            }
        }
        selection(t, field, r);
    }

    private void updateByPk(Table t, Field field, Request r) {
        String where = field.getName() + ": ";
        if (!offered(t.update()) || !keyReadable(t)) {
            r.problems().add(where + "not generated for the role: it needs an update permission and a select permission on " + t.primaryKey());
            return;
        }
        Value<?> pk = argument(field, "pk_columns");
        Map<String, Value<?>> keyFields = new LinkedHashMap<>();
        if (pk instanceof ObjectValue o) {
            o.getObjectFields().forEach(f -> keyFields.put(f.getName(), f.getValue()));
        } else {
            r.problems().add(where + "pk_columns is not written out: " + pk);
        }
        key(t, keyFields, where + "pk_columns: ", r);
        Value<?> set = argument(field, "_set");
        if (!(set instanceof ObjectValue o)) {
            r.problems().add(where + "_set is not written out: " + set);
            return;
        }
        ObjectNode setValues = JsonNodeFactory.instance.objectNode();
        for (ObjectField f : o.getObjectFields()) {
            Column c = t.columns().get(f.getName());
            setValues.set(f.getName(), value(f.getValue(), c == null ? "?" : c.graphqlType(), r));
        }
        columns(t, setValues, t.update().columns(), "update", where + "_set: ", r);
        selection(t, field, r);
    }

    private void deleteByPk(Table t, Field field, Request r) {
        String where = field.getName() + ": ";
        if (!offered(t.delete()) || !keyReadable(t)) {
            r.problems().add(where + "not generated for the role: it needs a delete permission and a select permission on " + t.primaryKey());
            return;
        }
        Map<String, Value<?>> keyFields = new LinkedHashMap<>();
        field.getArguments().forEach(a -> keyFields.put(a.getName(), a.getValue()));
        key(t, keyFields, where, r);
        selection(t, field, r);
    }

    /** The variables a value refers to (counted as used even where the field itself is refused). */
    private static void used(Value<?> v, Set<String> used) {
        if (v instanceof VariableReference ref) {
            used.add(ref.getName());
        } else if (v instanceof ObjectValue o) {
            o.getObjectFields().forEach(f -> used(f.getValue(), used));
        } else if (v instanceof ArrayValue a) {
            a.getValues().forEach(item -> used(item, used));
        }
    }

    private static boolean offered(RoleTables.Permission permission) {
        return permission != null && !permission.backendOnly();
    }

    private static boolean keyReadable(Table t) {
        return !t.primaryKey().isEmpty() && t.select() != null && t.select().columns().containsAll(t.primaryKey());
    }

    /** Exactly the primary key's columns, each a non-null value of the column's type. */
    private void key(Table t, Map<String, Value<?>> fields, String where, Request r) {
        if (!fields.keySet().equals(new LinkedHashSet<>(t.primaryKey()))) {
            r.problems().add(where + "arguments " + fields.keySet() + " are not the primary key " + t.primaryKey());
        }
        fields.forEach((name, v) -> {
            Column c = t.columns().get(name);
            if (c != null) {
                String problem = fit(c, value(v, c.graphqlType() + "!", r), false);
                if (problem != null) {
                    r.problems().add(where + problem);
                }
            }
        });
    }

    private static void columns(Table t, JsonNode values, Set<String> allowed, String kind, String where, Request r) {
        values.fieldNames().forEachRemaining(name -> {
            Column c = t.columns().get(name);
            if (c == null || !allowed.contains(name)) {
                r.problems().add(where + name + " is not a column of the role's " + kind + " permission " + allowed);
            } else {
                String problem = fit(c, values.get(name), c.nullable());
                if (problem != null) {
                    r.problems().add(where + problem);
                }
            }
        });
    }

    private static void selection(Table t, Field field, Request r) {
        if (field.getSelectionSet() == null) {
            r.problems().add(field.getName() + ": no selection");
            return;
        }
        for (Selection<?> s : field.getSelectionSet().getSelections()) {
            String name = ((Field) s).getName();
            if (!t.select().columns().contains(name)) {
                r.problems().add(field.getName() + ": field '" + name + "' not found (the role's select permission " + t.select().columns() + ")");
            }
        }
    }

    private static String fit(Column c, JsonNode v, boolean nullAllowed) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return nullAllowed ? null : c.name() + ": null where a value is needed";
        }
        boolean fits = switch (c.graphqlType()) {
            case "String" -> v.isTextual();
            case "Boolean" -> v.isBoolean();
            case "Int" -> v.isIntegralNumber();
            case "timestamptz" -> v.isTextual() && timestamp(v.asText());
            default -> false;
        };
        return fits ? null : c.name() + ": " + v + " is not a " + c.graphqlType() + " (" + c.pgType() + ")";
    }

    private static boolean timestamp(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static Value<?> argument(Field field, String name) {
        return field.getArguments().stream().filter(a -> a.getName().equals(name)).map(Argument::getValue).findFirst().orElse(null);
    }

    /**
     * A GraphQL value as JSON, variables resolved; a variable's declared type must be {@code expectedType} (or its
     * nullable form where the position allows null).
     */
    private JsonNode value(Value<?> v, String expectedType, Request r) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (v == null || v instanceof NullValue) {
            return json.nullNode();
        }
        if (v instanceof VariableReference ref) {
            r.used().add(ref.getName());
            String declared = r.declared().get(ref.getName());
            boolean nonNullPosition = expectedType.endsWith("!");
            String base = expectedType.replace("!", "");
            if (declared == null) {
                r.problems().add("variable $" + ref.getName() + " is not declared");
            } else if (!declared.replace("!", "").equals(base) || nonNullPosition && !declared.endsWith("!")) {
                r.problems().add("variable $" + ref.getName() + " is declared " + declared + " where Hasura expects " + expectedType);
            }
            return r.variables().path(ref.getName());
        }
        if (v instanceof StringValue s) {
            return json.textNode(s.getValue());
        }
        if (v instanceof BooleanValue b) {
            return json.booleanNode(b.isValue());
        }
        if (v instanceof IntValue i) {
            return json.numberNode(i.getValue());
        }
        if (v instanceof EnumValue e) {
            return json.textNode(e.getName());
        }
        if (v instanceof ArrayValue a) {
            var array = json.arrayNode();
            a.getValues().forEach(item -> array.add(value(item, "?", r)));
            return array;
        }
        if (v instanceof ObjectValue o) {
            ObjectNode object = json.objectNode();
            o.getObjectFields().forEach(f -> object.set(f.getName(), value(f.getValue(), "?", r)));
            return object;
        }
        r.problems().add("value not modeled: " + v);
        return json.nullNode();
    }
}
