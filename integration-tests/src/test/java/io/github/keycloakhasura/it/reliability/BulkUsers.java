package io.github.keycloakhasura.it.reliability;

import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.PostgresServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Users written straight into Keycloak's tables, the fastest honest way to a million: a template user is created
 * through the admin API (so Keycloak writes its row and its default role mappings), then {@code user_entity} rows are
 * copied from it column by column (whatever columns this Keycloak version has), with their own id, username
 * ({@code bulk-NNNNNNN}), email, names and creation time, and the template's role mappings copied for each. Batches
 * of {@value #BATCH}; {@code ANALYZE} after each insert, as the query planner needs fresh statistics.
 */
final class BulkUsers {

    private static final int BATCH = 100_000;
    private static final Map<String, String> OVERRIDES = Map.of(
            "id", "gen_random_uuid()::text",
            "username", "'bulk-' || lpad(n::text, 7, '0')",
            "email", "'bulk-' || lpad(n::text, 7, '0') || '@example.test'",
            "email_constraint", "'bulk-' || lpad(n::text, 7, '0') || '@example.test'",
            "first_name", "'First' || n",
            "last_name", "'Last' || n",
            "created_timestamp", "t.created_timestamp + n");

    private final PostgresServer db;
    private final String templateId;
    private final String realmId;
    private final List<String> columns;

    private BulkUsers(PostgresServer db, String templateId) {
        this.db = db;
        this.templateId = templateId;
        this.realmId = db.psql("SELECT realm_id FROM user_entity WHERE id = '" + templateId + "'");
        this.columns = MillionUsersScenario.list(db.psql("SELECT column_name FROM information_schema.columns "
                + "WHERE table_name = 'user_entity' AND table_schema = current_schema() ORDER BY ordinal_position"));
        if (!columns.containsAll(OVERRIDES.keySet())) {
            throw new IllegalStateException("user_entity has not the expected columns: " + columns);
        }
    }

    /** Creates the template user (no password: nobody signs in as a bulk user) through Keycloak's admin API. */
    static BulkUsers create(PostgresServer db, KeycloakAdmin admin) {
        Http.Response r = admin.call("POST", "/users", Map.of("username", "bulk-template", "email", "bulk-template@example.test",
                "firstName", "Bulk", "lastName", "Template", "enabled", true, "emailVerified", true));
        if (r.status() != 201) {
            throw new IllegalStateException("template user: " + r);
        }
        String location = r.header("Location");
        return new BulkUsers(db, location.substring(location.lastIndexOf('/') + 1));
    }

    static String username(int n) {
        return String.format("bulk-%07d", n);
    }

    /** The username prefix shared by the ten users 10·k … 10·k+9. */
    static String prefix(int k) {
        return String.format("bulk-%06d", k);
    }

    /** Writes users {@code from} … {@code to - 1}. */
    void insert(int from, int to) {
        List<String> select = new ArrayList<>();
        for (String c : columns) {
            select.add(OVERRIDES.getOrDefault(c, "t." + c));
        }
        for (int start = from; start < to; start += BATCH) {
            int end = Math.min(to, start + BATCH) - 1;
            db.psql("BEGIN; INSERT INTO user_entity (" + String.join(", ", columns) + ") SELECT " + String.join(", ", select)
                    + " FROM user_entity t, generate_series(" + start + ", " + end + ") n WHERE t.id = '" + templateId + "'; "
                    + "INSERT INTO user_role_mapping (role_id, user_id) SELECT m.role_id, u.id FROM user_entity u "
                    + "JOIN user_role_mapping m ON m.user_id = '" + templateId + "' WHERE u.realm_id = '" + realmId + "' "
                    + "AND u.username BETWEEN '" + username(start) + "' AND '" + username(end) + "'; COMMIT;");
            System.out.printf("BulkUsers: %d users written%n", end + 1);
        }
        db.psql("ANALYZE user_entity; ANALYZE user_role_mapping;");
    }

    int countInRealm() {
        return Integer.parseInt(db.psql("SELECT count(*) FROM user_entity WHERE realm_id = '" + realmId
                + "' AND service_account_client_link IS NULL"));
    }

    /** Ids of {@code n} bulk users picked at random. */
    List<String> sampleIds(int n) {
        return MillionUsersScenario.list(db.psql("SELECT id FROM user_entity WHERE realm_id = '" + realmId
                + "' AND username LIKE 'bulk-0%' ORDER BY random() LIMIT " + n));
    }
}
