package io.github.keycloakhasura.graphql;

import com.fasterxml.jackson.core.SerializableString;
import graphql.GraphQLContext;
import graphql.Scalars;
import graphql.execution.FieldCollector;
import graphql.execution.MergedField;
import graphql.execution.ValueUnboxer;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.NonNullType;
import graphql.language.NullValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.language.VariableReference;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Mutations with one root field (tokenAuth, refreshToken, verifyToken, revokeToken or createUser alone: nearly every
 * request this endpoint gets) run without graphql-java's executor: arguments taken from the literals and String
 * variables of the cached document, the mutation called, its result completed by a {@link PlainSelection} plan made
 * once per document and operation. graphql-java's executor costs little per field, but on a busy server its
 * execution steps, futures and variable coercion for one field are a measurable share of a token refresh.
 * <p>
 * Only documents graphql-java has already parsed, validated and checked against the limits (they are in the
 * {@link DocumentCache}) are taken, and only when everything is as simple as that: one root field, no directives
 * on the operation or the field, arguments that are String literals, nulls or variables, variables all of type
 * {@code String}/{@code String!} without defaults, given as JSON strings (or null/missing where nullable), no other
 * variables, a plain selection. Anything else goes to graphql-java as before.
 * <p>
 * Once the mutation has run it is never run again: if its outcome needs graphql-java (it failed, or its value cannot
 * be completed by the plan: a null in a non-null field, a coercing error), the request goes through graphql-java
 * with the outcome handed over ({@link Fetched}), so errors, paths and locations are graphql-java's own.
 * {@code SoleMutationsTest} compares the answers of both paths byte for byte.
 */
final class SoleMutations {

    private final GraphQLSchema schema;
    private final DocumentCache documents;
    private final boolean enabled;
    private final FieldCollector collector = new FieldCollector();
    private final LongAdder taken = new LongAdder();
    /**
     * The context handed to scalar coercings (graphql-java's String, Int and Boolean, our JSON): none of them reads
     * or writes it, so one empty context serves every request instead of a new one each time.
     */
    private final GraphQLContext coercingContext = GraphQLContext.newContext().build();

    /** {@code enabled = false}: every mutation through graphql-java (the reference the tests compare with). */
    SoleMutations(GraphQLSchema schema, DocumentCache documents, boolean enabled) {
        this.schema = schema;
        this.documents = documents;
        this.enabled = enabled;
    }

    /** Mutations answered here, without graphql-java's executor, since start-up (a statistic, for tests). */
    long taken() {
        return taken.sum();
    }

    /** The outcome of a mutation that already ran, for graphql-java to report (the root field's fetcher answers it). */
    record Fetched(String field, Object value, RuntimeException failure) {
        Object get() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    /**
     * What {@link #run} did: answered the request ({@code outcome}), or ran the mutation and left the answer to
     * graphql-java ({@code fetched}).
     */
    record Result(GraphqlEngine.Outcome outcome, Fetched fetched) {
    }

    /** One argument of the root field: a literal, or the variable it comes from. */
    private record Argument(String name, Object literal, String variable) {
    }

    /** One variable of the operation (all are Strings). */
    private record Variable(String name, boolean nonNull) {
    }

    /** The operation's only root field, ready to run. */
    private record Plan(String field, AuthFetchers.Mutation mutation, Argument[] arguments, Variable[] variables,
                        boolean nonNull, PlainSelection.Plan selection, String[] dataKey, SerializableString[] jsonDataKey) {
    }

    /** The answer, or null when the request is graphql-java's to run from the start. */
    Result run(GraphqlHttp.Request request, RequestContext context) {
        if (!enabled) {
            return null;
        }
        Plan plan = documents.derived(request.query(), request.operationName(), this::plan);
        if (plan == null) {
            return null;
        }
        Map<String, Object> arguments = arguments(plan, request.variables());
        if (arguments == null) {
            return null;
        }
        Backend keycloak = context.keycloak();
        keycloak.soleMutation(true);
        Object value;
        try {
            value = plan.mutation().run(keycloak, arguments);
        } catch (RuntimeException e) {
            return new Result(null, new Fetched(plan.field(), null, e));
        }
        PlainSelection.Run run = new PlainSelection.Run(coercingContext, Locale.getDefault(), ValueUnboxer.DEFAULT, context);
        Object source = ValueUnboxer.DEFAULT.unbox(value);
        Object completed;
        if (!PlainSelection.plain(source)) {
            completed = PlainSelection.GENERIC;
        } else if (source == null) {
            completed = plan.nonNull() ? PlainSelection.GENERIC : null;
        } else {
            completed = plan.selection().complete(run, source);
        }
        if (completed == PlainSelection.GENERIC) {
            return new Result(null, new Fetched(plan.field(), value, null));
        }
        taken.increment();
        ResultObject data = new ResultObject(plan.dataKey(), plan.jsonDataKey(), new Object[]{completed});
        return new Result(new GraphqlEngine.Outcome(Map.of("data", data), false), null);
    }

    /**
     * The root field's arguments as graphql-java would coerce them, or null when a variable is not as the plan
     * needs it (not a string, null or missing where non-null, or one the operation does not declare): graphql-java
     * then reports it.
     */
    private static Map<String, Object> arguments(Plan plan, Map<String, Object> variables) {
        int declared = 0;
        for (Variable variable : plan.variables()) {
            if (variables.containsKey(variable.name())) {
                declared++;
                Object value = variables.get(variable.name());
                if (value == null ? variable.nonNull() : !(value instanceof String)) {
                    return null;
                }
            } else if (variable.nonNull()) {
                return null;
            }
        }
        if (declared != variables.size()) {
            return null;
        }
        Map<String, Object> arguments = new HashMap<>();
        for (Argument argument : plan.arguments()) {
            if (argument.variable() == null) {
                arguments.put(argument.name(), argument.literal());
            } else if (variables.containsKey(argument.variable())) {
                arguments.put(argument.name(), variables.get(argument.variable()));
            }
        }
        return arguments;
    }

    /** The plan for an operation of a valid document within the limits, or null when it is not that simple. */
    private Plan plan(Document document, String operationName) {
        OperationDefinition operation = QueryLimits.operation(document, operationName);
        if (operation == null || operation.getOperation() != OperationDefinition.Operation.MUTATION
                || !operation.getDirectives().isEmpty()) {
            return null;
        }
        List<Selection> roots = operation.getSelectionSet().getSelections();
        if (roots.size() != 1 || !(roots.get(0) instanceof Field field) || !field.getDirectives().isEmpty()) {
            return null;
        }
        GraphQLObjectType mutationType = schema.getMutationType();
        AuthFetchers.Mutation mutation = AuthFetchers.MUTATIONS.get(field.getName());
        GraphQLFieldDefinition definition = mutationType.getFieldDefinition(field.getName());
        if (mutation == null || definition == null
                || !(GraphQLTypeUtil.unwrapNonNull(definition.getType()) instanceof GraphQLObjectType resultType)) {
            return null;
        }
        Variable[] variables = variables(operation);
        Argument[] arguments = arguments(field, definition);
        if (variables == null || arguments == null) {
            return null;
        }
        // Every variable is a String, and @skip/@include take a Boolean: any of them in the selection has a literal
        // condition, so the selection does not depend on the request's variables and one plan serves them all.
        PlainSelection.Plan selection = PlainSelection.plan(new PlainSelection.Scope(collector, schema,
                QueryLimits.fragments(document), Map.of(),
                GraphQLContext.newContext().build()), MergedField.newMergedField(field).build(), resultType);
        if (selection == null) {
            return null;
        }
        String[] dataKey = {field.getResultKey()};
        return new Plan(field.getName(), mutation, arguments, variables, GraphQLTypeUtil.isNonNull(definition.getType()),
                selection, dataKey, ResultObject.jsonKeys(dataKey));
    }

    /** The operation's variables when all are {@code String} or {@code String!} without default or directive. */
    private static Variable[] variables(OperationDefinition operation) {
        List<VariableDefinition> definitions = operation.getVariableDefinitions();
        Variable[] variables = new Variable[definitions.size()];
        for (int i = 0; i < variables.length; i++) {
            VariableDefinition definition = definitions.get(i);
            if (definition.getDefaultValue() != null || !definition.getDirectives().isEmpty()) {
                return null;
            }
            Type<?> type = definition.getType();
            boolean nonNull = type instanceof NonNullType;
            if (nonNull) {
                type = ((NonNullType) type).getType();
            }
            if (!(type instanceof TypeName name) || !name.getName().equals(Scalars.GraphQLString.getName())) {
                return null;
            }
            variables[i] = new Variable(definition.getName(), nonNull);
        }
        return variables;
    }

    /** The field's arguments when the schema declares them all String without default and the document gives literals or variables. */
    private static Argument[] arguments(Field field, GraphQLFieldDefinition definition) {
        for (GraphQLArgument declared : definition.getArguments()) {
            if (declared.hasSetDefaultValue() || GraphQLTypeUtil.unwrapNonNull(declared.getType()) != Scalars.GraphQLString) {
                return null;
            }
        }
        List<graphql.language.Argument> given = field.getArguments();
        Argument[] arguments = new Argument[given.size()];
        for (int i = 0; i < arguments.length; i++) {
            graphql.language.Argument argument = given.get(i);
            Value<?> value = argument.getValue();
            if (value instanceof StringValue string) {
                arguments[i] = new Argument(argument.getName(), string.getValue(), null);
            } else if (value instanceof NullValue) {
                arguments[i] = new Argument(argument.getName(), null, null);
            } else if (value instanceof VariableReference reference) {
                arguments[i] = new Argument(argument.getName(), null, reference.getName());
            } else {
                return null;
            }
        }
        return arguments;
    }
}
