package io.github.keycloakhasura.it.stack;

import io.github.keycloakhasura.it.support.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.github.keycloakhasura.it.stack.StackFiles.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/postgres/init-roles.sh, run as the postgres image runs it (after creating POSTGRES_DB) against a throwaway
 * PostgreSQL: Keycloak and Hasura get one login role each, and Hasura's cannot reach Keycloak's database. Needs the
 * PostgreSQL server binaries (CI installs them); without them it is skipped, except with CI=true.
 */
class PostgresRolesIT {

    private static final String APP = "app";
    private static PostgresServer postgres;

    @BeforeAll
    static void runTheInitScript() throws Exception {
        postgres = PostgresServer.startOrSkip(Path.of("target", "postgres-roles-it").toAbsolutePath());
        // The throwaway server comes with a keycloak role and database of its own; the image has neither.
        postgres.psqlAs("postgres", "postgres", "DROP DATABASE keycloak");
        postgres.psqlAs("postgres", "postgres", "DROP ROLE keycloak");
        postgres.psqlAs("postgres", "postgres", "CREATE DATABASE " + APP); // what POSTGRES_DB does

        ProcessBuilder pb = new ProcessBuilder("bash", "docker/postgres/init-roles.sh")
                .directory(root().toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", postgres.binDir() + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("PGHOST", "127.0.0.1");
        pb.environment().put("PGPORT", Integer.toString(postgres.port()));
        pb.environment().put("POSTGRES_USER", "postgres");
        pb.environment().put("POSTGRES_DB", APP);
        pb.environment().put("KEYCLOAK_DB_PASSWORD", "it's-the-keycloak-db-secret");
        pb.environment().put("HASURA_DB_PASSWORD", "hasura-db-secret");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), "init-roles.sh failed:\n" + output);
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void keycloakOwnsItsDatabaseAndHasuraCannotConnectToIt() {
        postgres.psqlAs("keycloak", "keycloak", "CREATE TABLE keycloak_secrets (value text)");
        postgres.psqlAs("keycloak", "keycloak", "INSERT INTO keycloak_secrets VALUES ('realm signing key')");
        assertEquals("1", postgres.psqlAs("postgres", "keycloak", "SELECT count(*) FROM keycloak_secrets"));

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> postgres.psqlAs("hasura", "keycloak", "SELECT value FROM keycloak_secrets"));
        assertTrue(refused.getMessage().contains("permission denied for database \"keycloak\""), refused.getMessage());
    }

    @Test
    void hasuraOwnsTheAppDatabaseWithWhatItCreatesOnStartAndNothingMore() {
        // Hasura's start-up: pgcrypto (a trusted extension), its catalog schema, the app's tables.
        postgres.psqlAs("hasura", APP, "CREATE EXTENSION IF NOT EXISTS pgcrypto");
        postgres.psqlAs("hasura", APP, "CREATE SCHEMA hdb_catalog");
        postgres.psqlAs("hasura", APP, "CREATE TABLE public.notes (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), title text)");
        postgres.psqlAs("hasura", APP, "INSERT INTO public.notes (title) VALUES ('first')");

        assertEquals("f|f|f", postgres.psqlAs("postgres", "postgres",
                "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'hasura'"));
        assertEquals("f|f|f", postgres.psqlAs("postgres", "postgres",
                "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'keycloak'"));
        // Hasura's admin secret runs SQL as this role: it cannot make itself more.
        assertThrows(IllegalStateException.class, () -> postgres.psqlAs("hasura", APP, "ALTER ROLE hasura SUPERUSER"));
        assertThrows(IllegalStateException.class, () -> postgres.psqlAs("hasura", APP, "GRANT keycloak TO hasura"));
    }

    @Test
    void neitherServiceReachesTheOthersDatabaseOrTheMaintenanceDatabase() {
        for (String[] pair : new String[][]{{"keycloak", APP}, {"hasura", "keycloak"}, {"hasura", "postgres"}, {"keycloak", "postgres"}}) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> postgres.psqlAs(pair[0], pair[1], "SELECT 1"), pair[0] + " -> " + pair[1]);
            assertTrue(refused.getMessage().contains("permission denied for database"), refused.getMessage());
        }
        // Both roles have the passwords the script was given (the image authenticates with scram-sha-256).
        assertEquals("t|t", postgres.psqlAs("postgres", "postgres",
                "SELECT bool_and(rolpassword LIKE 'SCRAM-SHA-256$%'), count(*) = 2 FROM pg_authid WHERE rolname IN ('keycloak', 'hasura')"));
    }
}
