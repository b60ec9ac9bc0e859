package io.github.keycloakhasura.graphql.fetchers;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.GraphQLScalarType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code JSON} scalar: token payloads and Hasura session variables, passed through as JSON values. */
final class JsonScalar {

    private JsonScalar() {
    }

    static GraphQLScalarType create() {
        return GraphQLScalarType.newScalar()
                .name("JSON")
                .description("Any JSON value: a token payload, Hasura session variables.")
                .coercing(new Coercing<Object, Object>() {
                    @Override
                    public Object serialize(Object value, GraphQLContext context, Locale locale) {
                        return value;
                    }

                    @Override
                    public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                        return input;
                    }

                    @Override
                    public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
                        return literal(input, variables);
                    }
                })
                .build();
    }

    private static Object literal(Value<?> input, CoercedVariables variables) {
        if (input instanceof StringValue v) {
            return v.getValue();
        }
        if (input instanceof IntValue v) {
            return v.getValue();
        }
        if (input instanceof FloatValue v) {
            return v.getValue();
        }
        if (input instanceof BooleanValue v) {
            return v.isValue();
        }
        if (input instanceof EnumValue v) {
            return v.getName();
        }
        if (input instanceof NullValue) {
            return null;
        }
        if (input instanceof VariableReference v) {
            return variables.get(v.getName());
        }
        if (input instanceof ArrayValue v) {
            List<Object> list = new ArrayList<>();
            v.getValues().forEach(item -> list.add(literal(item, variables)));
            return list;
        }
        if (input instanceof ObjectValue v) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.getObjectFields().forEach(field -> map.put(field.getName(), literal(field.getValue(), variables)));
            return map;
        }
        throw new CoercingParseLiteralException("Not a JSON value");
    }
}
