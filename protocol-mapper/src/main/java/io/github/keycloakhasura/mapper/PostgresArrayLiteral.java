package io.github.keycloakhasura.mapper;

import java.util.Collection;
import java.util.Locale;

/**
 * Renders values as a Postgres array literal ({@code {a,b}}), the only way Hasura accepts a list in a session
 * variable (session variables are strings). Elements are double-quoted when Postgres would otherwise misread them.
 */
public final class PostgresArrayLiteral {

    private PostgresArrayLiteral() {
    }

    public static String of(Collection<String> values) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (String value : values) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            appendElement(sb, value);
        }
        return sb.append('}').toString();
    }

    private static void appendElement(StringBuilder sb, String value) {
        if (value == null) {
            sb.append("NULL");
            return;
        }
        if (!needsQuotes(value)) {
            sb.append(value);
            return;
        }
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty() || value.toUpperCase(Locale.ROOT).equals("NULL")) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }
}
