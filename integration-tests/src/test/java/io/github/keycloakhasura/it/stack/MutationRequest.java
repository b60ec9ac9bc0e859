package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import graphql.language.ArrayValue;
import graphql.language.AstPrinter;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import io.github.keycloakhasura.it.stack.RoleTables.Column;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One GraphQL request as Hasura reads its values: the operation's declared variables and the JSON sent with it,
 * values resolved to JSON, which variables are used, and the problems found so far ({@link SyncMutationRules}).
 */
final class MutationRequest {

    private final Map<String, String> declared = new LinkedHashMap<>();
    private final JsonNode variables;
    private final Set<String> used = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    MutationRequest(OperationDefinition operation, JsonNode variables) {
        for (VariableDefinition v : operation.getVariableDefinitions()) {
            declared.put(v.getName(), AstPrinter.printAst(v.getType()));
        }
        this.variables = variables;
    }

    List<String> problems() {
        return problems;
    }

    /**
     * Every variable sent is used (Hasura: "unexpected variables in variableValues"), every declared one is used
     * (GraphQL's rule), and every non-null one has a value.
     */
    void checkVariables() {
        variables.fieldNames().forEachRemaining(name -> {
            if (!used.contains(name)) {
                problems.add("unexpected variables in variableValues: " + name);
            }
        });
        declared.forEach((name, type) -> {
            if (!used.contains(name)) {
                problems.add("variable $" + name + " is declared but not used");
            }
            JsonNode value = variables.path(name);
            if (type.endsWith("!") && (value.isNull() || value.isMissingNode())) {
                problems.add("expecting a value for non-nullable variable: $" + name);
            }
        });
    }

    /** Counts the variables a value refers to as used (also where the field itself is refused). */
    void markUsed(Value<?> v) {
        if (v instanceof VariableReference ref) {
            used.add(ref.getName());
        } else if (v instanceof ObjectValue o) {
            o.getObjectFields().forEach(f -> markUsed(f.getValue()));
        } else if (v instanceof ArrayValue a) {
            a.getValues().forEach(item -> markUsed(item));
        }
    }

    static String fit(Column c, JsonNode v, boolean nullAllowed) {
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

    /**
     * A GraphQL value as JSON, variables resolved; a variable's declared type must be {@code expectedType} (or its
     * nullable form where the position allows null).
     */
    JsonNode value(Value<?> v, String expectedType) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        if (v == null || v instanceof NullValue) {
            return json.nullNode();
        }
        if (v instanceof VariableReference ref) {
            used.add(ref.getName());
            String type = declared.get(ref.getName());
            boolean nonNullPosition = expectedType.endsWith("!");
            String base = expectedType.replace("!", "");
            if (type == null) {
                problems.add("variable $" + ref.getName() + " is not declared");
            } else if (!type.replace("!", "").equals(base) || nonNullPosition && !type.endsWith("!")) {
                problems.add("variable $" + ref.getName() + " is declared " + type + " where Hasura expects " + expectedType);
            }
            return variables.path(ref.getName());
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
            a.getValues().forEach(item -> array.add(value(item, "?")));
            return array;
        }
        if (v instanceof ObjectValue o) {
            ObjectNode object = json.objectNode();
            o.getObjectFields().forEach(f -> object.set(f.getName(), value(f.getValue(), "?")));
            return object;
        }
        problems.add("value not modeled: " + v);
        return json.nullNode();
    }
}
