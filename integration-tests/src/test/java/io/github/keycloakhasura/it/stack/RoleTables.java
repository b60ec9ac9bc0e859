package io.github.keycloakhasura.it.stack;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.github.keycloakhasura.it.stack.StackFiles.root;
import static io.github.keycloakhasura.it.stack.StackFiles.yaml;

/**
 * The tables of hasura/migrations (columns, their types, nullability and defaults, the primary key and unique
 * constraints with PostgreSQL's default names) joined with one role's permissions from hasura/metadata: what Hasura v2
 * builds that role's mutation root fields from. Read offline; what it does not model (source customization, custom
 * table or column names) is refused rather than guessed, and a later ALTER of a table other than a foreign key is
 * listed in {@link Table#unfollowedAlterations()} for the caller to refuse.
 */
final class RoleTables {

    private static final Path MIGRATIONS = Path.of("hasura/migrations/default");
    private static final String TABLES = "hasura/metadata/databases/default/tables/";
    private static final Pattern CREATE_TABLE = Pattern.compile("(?is)^CREATE TABLE (?:IF NOT EXISTS )?(?:public\\.)?(\\w+)\\s*\\((.*)\\)$");
    private static final Pattern ALTER_TABLE = Pattern.compile("(?is)^ALTER TABLE (?:ONLY )?(?:IF EXISTS )?(?:public\\.)?(\\w+)\\s+(.*)$");
    private static final Pattern DROP_TABLE = Pattern.compile("(?is)^DROP TABLE (?:IF EXISTS )?(?:public\\.)?(\\w+)$");
    private static final Set<String> COLUMN_KEYWORDS = Set.of("NOT", "NULL", "DEFAULT", "PRIMARY", "REFERENCES", "CHECK",
            "UNIQUE", "CONSTRAINT", "GENERATED", "COLLATE");

    /** A column; {@code graphqlType} is the scalar Hasura gives its PostgreSQL type. */
    record Column(String name, String pgType, boolean nullable, boolean hasDefault) {
        String graphqlType() {
            return switch (pgType) {
                case "text", "varchar", "character varying", "citext", "bpchar", "character" -> "String";
                case "boolean", "bool" -> "Boolean";
                case "integer", "int", "int4", "smallint", "int2" -> "Int";
                case "double precision", "float8", "real", "float4" -> "Float";
                case "timestamp with time zone" -> "timestamptz";
                default -> pgType;
            };
        }
    }

    /** A permission of the role: its columns (select, insert, update), the preset ones, and whether it is backend only. */
    record Permission(Set<String> columns, Set<String> presets, boolean backendOnly) {
    }

    /** A table as the role sees it; a permission is null when the role has none of that kind. */
    record Table(String name, Map<String, Column> columns, List<String> primaryKey, Set<String> constraints,
                 List<String> unfollowedAlterations, JsonNode customRootFields, Permission insert, Permission select,
                 Permission update, Permission delete) {

        /** Hasura's name of a root field ({@code insert_one}, {@code update_by_pk}, …), custom_root_fields applied. */
        String rootField(String kind) {
            JsonNode custom = customRootFields.path(kind);
            if (custom.isTextual()) {
                return custom.asText();
            }
            if (custom.hasNonNull("name")) {
                return custom.get("name").asText();
            }
            return switch (kind) {
                case "insert_one" -> "insert_" + name + "_one";
                case "update_by_pk" -> "update_" + name + "_by_pk";
                case "delete_by_pk" -> "delete_" + name + "_by_pk";
                default -> throw new IllegalArgumentException("root field kind not modeled: " + kind);
            };
        }
    }

    private RoleTables() {
    }

    /** Every table hasura/metadata tracks, with {@code role}'s permissions, by table name. */
    static Map<String, Table> forRole(String role) {
        JsonNode source = yaml("hasura/metadata/databases/databases.yaml").get(0);
        if (source.has("customization")) {
            throw new AssertionError("source customization changes Hasura's generated names; not modeled: " + source.get("customization"));
        }
        Map<String, List<Column>> columns = new LinkedHashMap<>();
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Map<String, Set<String>> constraints = new LinkedHashMap<>();
        Map<String, List<String>> altered = new LinkedHashMap<>();
        for (String statement : migrationStatements()) {
            read(statement, columns, keys, constraints, altered);
        }
        Map<String, Table> tables = new LinkedHashMap<>();
        for (JsonNode include : yaml(TABLES + "tables.yaml")) {
            JsonNode meta = yaml(TABLES + include.asText().replace("!include ", "").trim());
            String name = meta.at("/table/name").asText();
            if (!columns.containsKey(name)) {
                throw new AssertionError("hasura/metadata tracks " + name + ", which no migration creates");
            }
            JsonNode configuration = meta.path("configuration");
            if (configuration.has("custom_name") || configuration.has("column_config") || configuration.has("custom_column_names")) {
                throw new AssertionError(name + ": custom GraphQL names of the table or its columns are not modeled: " + configuration);
            }
            Map<String, Column> byName = new LinkedHashMap<>();
            columns.get(name).forEach(c -> byName.put(c.name(), c));
            tables.put(name, new Table(name, byName, keys.getOrDefault(name, List.of()), constraints.get(name),
                    altered.getOrDefault(name, List.of()), configuration.path("custom_root_fields"), permission(meta, "insert_permissions", role),
                    permission(meta, "select_permissions", role), permission(meta, "update_permissions", role),
                    permission(meta, "delete_permissions", role)));
        }
        return tables;
    }

    private static Permission permission(JsonNode table, String kind, String role) {
        for (JsonNode p : table.path(kind)) {
            if (role.equals(p.path("role").asText())) {
                JsonNode rule = p.get("permission");
                Set<String> columns = new LinkedHashSet<>();
                rule.path("columns").forEach(c -> columns.add(c.asText()));
                if (rule.path("columns").isTextual() && "*".equals(rule.path("columns").asText())) {
                    throw new AssertionError(kind + " of " + role + ": columns \"*\" is not modeled");
                }
                Set<String> presets = new LinkedHashSet<>();
                rule.path("set").fieldNames().forEachRemaining(presets::add);
                return new Permission(columns, presets, rule.path("backend_only").asBoolean(false));
            }
        }
        return null;
    }

    /** The up.sql statements in migration order, comments and dollar-quoted bodies removed. */
    private static List<String> migrationStatements() {
        List<String> statements = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root().resolve(MIGRATIONS))) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                String sql = Files.readString(dir.resolve("up.sql"))
                        .replaceAll("(?s)\\$\\$.*?\\$\\$", "''")
                        .replaceAll("--[^\\n]*", "");
                for (String s : sql.split(";")) {
                    String statement = s.trim().replaceAll("\\s+", " ");
                    if (!statement.isEmpty()) {
                        statements.add(statement);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return statements;
    }

    private static void read(String statement, Map<String, List<Column>> columns, Map<String, List<String>> keys,
                             Map<String, Set<String>> constraints, Map<String, List<String>> altered) {
        Matcher m;
        if ((m = CREATE_TABLE.matcher(statement)).matches()) {
            String table = m.group(1);
            List<Column> cols = new ArrayList<>();
            Set<String> named = new LinkedHashSet<>();
            for (String item : topLevel(m.group(2))) {
                String upper = item.toUpperCase(Locale.ROOT);
                if (upper.startsWith("PRIMARY KEY")) {
                    keys.put(table, names(item));
                    named.add(table + "_pkey");
                } else if (upper.startsWith("UNIQUE")) {
                    named.add(table + "_" + String.join("_", names(item)) + "_key");
                } else if (upper.startsWith("CONSTRAINT")) {
                    String name = item.split(" ")[1];
                    if (upper.contains(" PRIMARY KEY")) {
                        keys.put(table, names(item));
                        named.add(name);
                    } else if (upper.contains(" UNIQUE")) {
                        named.add(name);
                    }
                } else if (!upper.startsWith("CHECK") && !upper.startsWith("FOREIGN KEY")) {
                    cols.add(column(table, item, keys, named));
                }
            }
            columns.put(table, cols);
            constraints.put(table, named);
        } else if ((m = ALTER_TABLE.matcher(statement)).matches()) {
            String action = m.group(2).toUpperCase(Locale.ROOT);
            boolean foreignKey = action.matches("ADD CONSTRAINT \\w+ FOREIGN KEY .*") || action.matches("DROP CONSTRAINT .*_FKEY.*");
            if (!foreignKey) {
                altered.computeIfAbsent(m.group(1), t -> new ArrayList<>()).add(statement);
            }
        } else if ((m = DROP_TABLE.matcher(statement)).matches()) {
            columns.remove(m.group(1));
            keys.remove(m.group(1));
            constraints.remove(m.group(1));
            altered.remove(m.group(1));
        }
    }

    private static Column column(String table, String item, Map<String, List<String>> keys, Set<String> named) {
        String[] words = item.split(" ");
        StringBuilder type = new StringBuilder();
        int i = 1;
        while (i < words.length && !COLUMN_KEYWORDS.contains(words[i].toUpperCase(Locale.ROOT))) {
            type.append(type.isEmpty() ? "" : " ").append(words[i++]);
        }
        String rest = " " + item.substring(Math.min(item.length(), item.indexOf(' ') + 1 + type.length())).toUpperCase(Locale.ROOT) + " ";
        String pgType = type.toString().toLowerCase(Locale.ROOT).replaceAll("\\(.*\\)", "");
        if (pgType.equals("timestamptz")) {
            pgType = "timestamp with time zone";
        }
        boolean primaryKey = rest.contains(" PRIMARY KEY ");
        if (primaryKey) {
            keys.put(table, List.of(words[0]));
            named.add(table + "_pkey");
        }
        if (rest.contains(" UNIQUE ")) {
            named.add(table + "_" + words[0] + "_key");
        }
        return new Column(words[0], pgType, !primaryKey && !rest.contains(" NOT NULL "), rest.contains(" DEFAULT "));
    }

    /** The column names in an item's first parentheses: {@code PRIMARY KEY (a, b)} → [a, b]. */
    private static List<String> names(String item) {
        String inside = item.substring(item.indexOf('(') + 1, item.indexOf(')'));
        List<String> names = new ArrayList<>();
        for (String n : inside.split(",")) {
            names.add(n.trim());
        }
        return names;
    }

    /** A CREATE TABLE body split at its top-level commas. */
    private static List<String> topLevel(String body) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(body.substring(start, i).trim());
                start = i + 1;
            }
        }
        items.add(body.substring(start).trim());
        return items;
    }
}
