package io.github.keycloakhasura.it.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for the tests: {@code initdb} into {@code dir/data}, {@code pg_ctl start} on a free
 * loopback port (TCP only, trust authentication, no fsync), one database {@value #DATABASE} owned by role
 * {@value #USERNAME}. {@link #close()} (also run by a shutdown hook) stops it and deletes the data directory; the
 * server log {@code dir/postgres.log} is kept.
 *
 * <p>PostgreSQL refuses to run as root, so when the tests run as root every command runs as the {@code postgres}
 * user ({@code runuser -u postgres --}), and {@code dir} is given to that user.
 *
 * <p>Binaries: {@code -Dpostgres.bin.dir} if set (only there), else the newest {@code /usr/lib/postgresql/<version>/bin} (Debian's
 * {@code postgresql} package), else {@code initdb} and {@code pg_ctl} on the {@code PATH}.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String DATABASE = "keycloak";
    public static final String USERNAME = "keycloak";
    public static final String PASSWORD = "keycloak";

    private static final String SYSTEM_USER = "postgres";
    private static final long COMMAND_TIMEOUT_SECONDS = 120;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;
    private final boolean asPostgresUser;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
        this.shutdownHook = new Thread(this::stop, "stop-postgres");
    }

    /**
     * Starts a server in {@code dir}, or, when the PostgreSQL server binaries are not installed, aborts the calling
     * tests with a JUnit assumption (they are reported as skipped). With the environment variable {@code CI=true}
     * missing binaries are an error instead, so CI cannot silently skip the tests.
     */
    public static PostgresServer startOrSkip(Path dir) {
        Optional<Path> bin = findBinaries();
        if (bin.isEmpty()) {
            String message = "PostgreSQL server binaries (initdb, pg_ctl, postgres, psql) not found in -Dpostgres.bin.dir,"
                    + " /usr/lib/postgresql/*/bin or the PATH. Install them, e.g. on Debian/Ubuntu:"
                    + " apt-get install -y --no-install-recommends postgresql";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message + " (CI=true: not skipping)");
            }
            System.err.println("Skipping: " + message);
            Assumptions.abort(message);
        }
        return start(bin.get(), dir);
    }

    public static PostgresServer start(Path bin, Path requestedDir) {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = root ? reachableByPostgresUser(requestedDir) : requestedDir;
        try {
            stopLeftover(bin, dir, root);
            Harness.deleteRecursively(dir);
            Files.createDirectories(dir);
            if (root) {
                giveToPostgresUser(dir);
            }
            PostgresServer server = new PostgresServer(bin, dir, Harness.freePort(), root);
            Runtime.getRuntime().addShutdownHook(server.shutdownHook);
            try {
                server.initAndStart();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code dir}, or, when a directory above it is closed to other users (e.g. a checkout under a {@code mktemp -d}
     * directory, mode 0700), a directory of the same name's hash in {@code java.io.tmpdir}: the {@code postgres}
     * user must be able to reach its data directory.
     */
    private static Path reachableByPostgresUser(Path dir) {
        for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    Path moved = Path.of(System.getProperty("java.io.tmpdir"))
                            .resolve("keycloak-hasura-postgres-" + Integer.toHexString(dir.toAbsolutePath().toString().hashCode()));
                    System.err.println("PostgreSQL data in " + moved + ": the postgres user cannot enter " + p);
                    return moved;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return dir;
            }
        }
        return dir;
    }

    /** The binaries directory, if one with the server programs exists. */
    public static Optional<Path> findBinaries() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getProperty("postgres.bin.dir");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(PostgresServer::hasServerPrograms);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                        .sorted(Comparator.comparingDouble((Path p) -> Double.parseDouble(p.getFileName().toString())).reversed())
                        .map(p -> p.resolve("bin"))
                        .forEach(candidates::add);
            } catch (IOException e) {
                // not readable: fall through to the PATH
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path pgCtl = Path.of(entry.isEmpty() ? "." : entry, "pg_ctl");
            if (Files.isExecutable(pgCtl)) {
                try {
                    candidates.add(pgCtl.toRealPath().getParent());
                } catch (IOException e) {
                    candidates.add(pgCtl.getParent());
                }
            }
        }
        return candidates.stream().filter(PostgresServer::hasServerPrograms).findFirst();
    }

    private static boolean hasServerPrograms(Path dir) {
        return Stream.of("initdb", "pg_ctl", "postgres", "psql").allMatch(p -> Files.isExecutable(dir.resolve(p)));
    }

    private void initAndStart() {
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "--auth=trust", "--username=postgres",
                "--encoding=UTF8", "--locale=C", "--no-sync"));
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "90",
                "-o", String.join(" ", startOptions()), "start"));
        psql("postgres", "CREATE ROLE " + USERNAME + " LOGIN PASSWORD '" + PASSWORD + "'");
        psql("postgres", "CREATE DATABASE " + DATABASE + " OWNER " + USERNAME);
    }

    private List<String> startOptions() {
        return List.of(
                "-c listen_addresses=127.0.0.1",
                "-c port=" + port,
                "-c unix_socket_directories=''",
                "-c max_connections=300",
                // a throwaway database: durability is not under test, the speed of the build is
                "-c fsync=off",
                "-c full_page_writes=off");
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/keycloak}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** Runs SQL in the {@value #DATABASE} database as the superuser; returns the unaligned, tuples-only output. */
    public String psql(String sql) {
        return psql(DATABASE, sql);
    }

    private String psql(String database, String sql) {
        return psqlAs("postgres", database, sql);
    }

    /**
     * Runs SQL in {@code database} as the login role {@code role} (trust authentication: privileges, not passwords,
     * decide); returns the unaligned, tuples-only output, or throws with psql's message.
     */
    public String psqlAs(String role, String database, String sql) {
        return run(List.of(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", role, "-d", database, "-c", sql)).strip();
    }

    /**
     * Stops the server as an operator's restart does ({@code pg_ctl stop -m fast}: open connections are cut), keeping
     * its data; {@link #startAgain()} brings it back on the same port.
     */
    public void stopKeepingData() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"));
    }

    /** Starts the server stopped by {@link #stopKeepingData()} again, on the same port and data. */
    public void startAgain() {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "90",
                "-o", String.join(" ", startOptions()), "start"));
    }

    /** The directory of initdb, pg_ctl and psql. */
    public Path binDir() {
        return bin;
    }

    /** Stops the server ({@code pg_ctl stop -m fast}, else immediate) and deletes its data; keeps the log. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "30", "stop"));
                } catch (RuntimeException e) {
                    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop"));
                }
            }
        } finally {
            try {
                Harness.deleteRecursively(data);
            } catch (IOException e) {
                System.err.println("Could not delete " + data + ": " + e);
            }
        }
    }

    /** A server left running by an earlier run that was killed before its shutdown hook ran. */
    private static void stopLeftover(Path bin, Path dir, boolean root) {
        Path data = dir.resolve("data");
        if (Files.exists(data.resolve("postmaster.pid"))) {
            try {
                exec(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop"), root);
            } catch (RuntimeException e) {
                // not running any more
            }
        }
    }

    private String run(List<String> command) {
        return exec(command, asPostgresUser);
    }

    private static String exec(List<String> command, boolean asPostgresUser) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(Arrays.asList("runuser", "-u", SYSTEM_USER, "--"));
        }
        full.addAll(command);
        try {
            Path out = Files.createTempFile("pg-command", ".log");
            try {
                Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(out.toFile())
                        .directory(Path.of("/").toFile()).start();
                if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("Timed out: " + String.join(" ", full));
                }
                String output = Files.readString(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("Exit code " + p.exitValue() + " from " + String.join(" ", full) + ":\n" + output);
                }
                return output;
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", full), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void giveToPostgresUser(Path dir) throws IOException {
        UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user;
        GroupPrincipal group;
        try {
            user = lookup.lookupPrincipalByName(SYSTEM_USER);
            group = lookup.lookupPrincipalByGroupName(SYSTEM_USER);
        } catch (IOException e) {
            throw new IllegalStateException("Running as root, but there is no '" + SYSTEM_USER
                    + "' system user to run PostgreSQL as (Debian's postgresql package creates it)", e);
        }
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }



    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port + " (data " + data + ", log " + log + ")";
    }
}
