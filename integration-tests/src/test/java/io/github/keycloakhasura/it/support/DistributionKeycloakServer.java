package io.github.keycloakhasura.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real {@code keycloak-quarkus-dist} (unpacked by Maven into {@code target/}) with {@code kc.sh start-dev}
 * on free ports, the extension jars in {@code providers/} and the realm export imported on a fresh H2 database.
 */
public final class DistributionKeycloakServer implements KeycloakServer {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(Long.getLong("keycloak.startup.timeout.seconds", 300));

    private final Path home;
    private final Path log;
    private final int httpPort;
    private final Process process;

    private DistributionKeycloakServer(Path home, Path log, int httpPort, Process process) {
        this.home = home;
        this.log = log;
        this.httpPort = httpPort;
        this.process = process;
    }

    public static DistributionKeycloakServer start(List<String> extraOptions) {
        return start(extraOptions, true);
    }

    /**
     * As {@link #start(List)}; with {@code freshDatabase} false the H2 database of the previous start is kept (a
     * restart: what was committed before it is still there).
     */
    public static DistributionKeycloakServer start(List<String> extraOptions, boolean freshDatabase) {
        Path home = Path.of(Harness.requiredProperty("keycloak.dist.dir"));
        return start(home, Path.of(Harness.requiredProperty("keycloak.log.file")), extraOptions, freshDatabase);
    }

    /**
     * A server of its own, beside the run's shared one: a private copy of the distribution in
     * {@code target/keycloak-private/<distribution>/<name>} (its own database, build and log {@code target/keycloak-<name>.log}), so
     * neither server deletes, rebuilds or logs into the other's files. Starting {@code name} again reuses the copy;
     * {@code freshDatabase} as in {@link #start(List, boolean)}.
     */
    public static DistributionKeycloakServer startPrivate(String name, List<String> extraOptions, boolean freshDatabase) {
        Path dist = distribution();
        Path target = Path.of(Harness.requiredProperty("keycloak.log.file")).getParent();
        // Per distribution (CI runs several releases in one target/), per name.
        Path home = target.resolve("keycloak-private").resolve(dist.getFileName()).resolve(name);
        try {
            if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
                copyTree(dist, home);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return start(home, target.resolve("keycloak-" + name + ".log"), extraOptions, freshDatabase);
    }

    private static Path distribution() {
        Path home = Path.of(Harness.requiredProperty("keycloak.dist.dir"));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + home
                    + " (run through Maven: mvn verify unpacks org.keycloak:keycloak-quarkus-dist)");
        }
        return home;
    }

    private static DistributionKeycloakServer start(Path home, Path log, List<String> extraOptions, boolean freshDatabase) {
        distribution();
        Path providers = Path.of(Harness.requiredProperty("keycloak.providers.dir"));
        Path realmDir = Path.of(Harness.requiredProperty("keycloak.realm.dir"));
        try {
            prepare(home, providers, realmDir, freshDatabase);
            for (int attempt = 1; ; attempt++) {
                int httpPort = Harness.freePort();
                int managementPort = Harness.freePort();
                List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                        "--http-port=" + httpPort,
                        "--http-management-port=" + managementPort,
                        "--http-host=127.0.0.1",
                        "--hostname-strict=false",
                        "--import-realm",
                        "--health-enabled=true",
                        "--cache=local"));
                command.addAll(extraOptions);
                Process process = Harness.launchKeycloak(home, command, log);
                DistributionKeycloakServer server = new DistributionKeycloakServer(home, log, httpPort, process);
                Thread hook = new Thread(server::close, "stop-keycloak");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    server.awaitReady();
                    return server;
                } catch (IllegalStateException e) {
                    server.close();
                    Runtime.getRuntime().removeShutdownHook(hook);
                    // A port taken by another process between choosing and binding it: other ports, same database.
                    if (attempt >= Harness.START_ATTEMPTS || !Harness.portTaken(log)) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Path partial = to.resolveSibling(to.getFileName() + ".partial");
        Harness.deleteRecursively(partial);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path relative = from.relativize(source);
                if (relative.startsWith("data") || relative.startsWith("providers")) {
                    continue;
                }
                Path target = partial.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Harness.deleteRecursively(to);
        Files.move(partial, to);
    }

    private static void prepare(Path home, Path providers, Path realmDir, boolean freshDatabase) throws IOException {
        // A fresh database every run: the realm export is imported anew, no users from earlier runs.
        if (freshDatabase) {
            Harness.deleteRecursively(home.resolve("data"));
        }
        Path import_ = Files.createDirectories(home.resolve("data/import"));
        try (Stream<Path> realms = Files.list(realmDir)) {
            for (Path realm : realms.filter(p -> p.toString().endsWith(".json")).toList()) {
                Files.copy(realm, import_.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path target = home.resolve("providers");
        Files.createDirectories(target);
        try (Stream<Path> old = Files.list(target)) {
            for (Path jar : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(jar);
            }
        }
        try (Stream<Path> jars = Files.list(providers)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void awaitReady() {
        Harness.awaitReady("Keycloak", process, List.of(URI.create(realmUrl() + "/.well-known/openid-configuration")),
                STARTUP_TIMEOUT, log, this::close);
    }

    @Override
    public String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    @Override
    public String describe() {
        return "Keycloak distribution at " + home + " on port " + httpPort + ", log " + log;
    }

    @Override
    public synchronized void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                children.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
