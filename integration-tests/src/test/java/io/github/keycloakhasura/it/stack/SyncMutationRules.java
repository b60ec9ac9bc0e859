package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.Value;
import graphql.parser.Parser;
import io.github.keycloakhasura.it.stack.RoleTables.Column;
import io.github.keycloakhasura.it.stack.RoleTables.Table;

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
        Document document = Parser.parse(body.get("query").asText());
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operations.size() != 1 || operations.get(0).getOperation() != OperationDefinition.Operation.MUTATION) {
            return List.of("not one mutation: " + body.get("query").asText());
        }
        MutationRequest request = new MutationRequest(operations.get(0), body.path("variables"));
        for (Selection<?> selection : operations.get(0).getSelectionSet().getSelections()) {
            rootField((Field) selection, request);
        }
        request.checkVariables();
        return request.problems();
    }

    private void rootField(Field field, MutationRequest r) {
        field.getArguments().forEach(a -> r.markUsed(a.getValue()));
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

    private void insertOne(Table t, Field field, MutationRequest r) {
        String where = field.getName() + ": ";
        if (!offered(t.insert()) || t.select() == null) {
            r.problems().add(where + "not generated for the role: it needs an insert permission and a select permission");
            return;
        }
        JsonNode object = r.value(argument(field, "object"), t.name() + "_insert_input");
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
            JsonNode conflict = r.value(onConflict, t.name() + "_on_conflict");
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

    private void updateByPk(Table t, Field field, MutationRequest r) {
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
            setValues.set(f.getName(), r.value(f.getValue(), c == null ? "?" : c.graphqlType()));
        }
        columns(t, setValues, t.update().columns(), "update", where + "_set: ", r);
        selection(t, field, r);
    }

    private void deleteByPk(Table t, Field field, MutationRequest r) {
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

    private static boolean offered(RoleTables.Permission permission) {
        return permission != null && !permission.backendOnly();
    }

    private static boolean keyReadable(Table t) {
        return !t.primaryKey().isEmpty() && t.select() != null && t.select().columns().containsAll(t.primaryKey());
    }

    /** Exactly the primary key's columns, each a non-null value of the column's type. */
    private void key(Table t, Map<String, Value<?>> fields, String where, MutationRequest r) {
        if (!fields.keySet().equals(new LinkedHashSet<>(t.primaryKey()))) {
            r.problems().add(where + "arguments " + fields.keySet() + " are not the primary key " + t.primaryKey());
        }
        fields.forEach((name, v) -> {
            Column c = t.columns().get(name);
            if (c != null) {
                String problem = MutationRequest.fit(c, r.value(v, c.graphqlType() + "!"), false);
                if (problem != null) {
                    r.problems().add(where + problem);
                }
            }
        });
    }

    private static void columns(Table t, JsonNode values, Set<String> allowed, String kind, String where, MutationRequest r) {
        values.fieldNames().forEachRemaining(name -> {
            Column c = t.columns().get(name);
            if (c == null || !allowed.contains(name)) {
                r.problems().add(where + name + " is not a column of the role's " + kind + " permission " + allowed);
            } else {
                String problem = MutationRequest.fit(c, values.get(name), c.nullable());
                if (problem != null) {
                    r.problems().add(where + problem);
                }
            }
        });
    }

    private static void selection(Table t, Field field, MutationRequest r) {
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

    private static Value<?> argument(Field field, String name) {
        return field.getArguments().stream().filter(a -> a.getName().equals(name)).map(Argument::getValue).findFirst().orElse(null);
    }
}
