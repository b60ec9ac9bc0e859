package io.github.keycloakhasura.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Several Keycloak nodes in production mode on one machine, forming one Infinispan cluster the way Keycloak 26 does
 * it out of the box: a shared PostgreSQL database, JGroups discovery through that database ({@code jdbc-ping}, the
 * default stack), the transport on loopback, every node with its own HTTP, management and cluster ports.
 *
 * <p>Layout under {@code target/keycloak-cluster/}:
 * <ul>
 *   <li>{@code home/}: a private copy of the unpacked distribution with the extension jars in {@code providers/},
 *       built once with {@code kc.sh build --db=postgres --health-enabled=true}. The build is skipped on later runs
 *       while the distribution, the build options and the jars are unchanged ({@code home/.build-fingerprint}).</li>
 *   <li>{@code node-<name>/}: one Keycloak home per node, hard links to {@code home/} (so no disk and no second
 *       build) plus a {@code data/} of its own. Nodes must not share {@code data/}: it holds each node's transaction
 *       log ({@code data/transaction-logs}, with recovery on and the same node identifier) and {@code data/tmp}.</li>
 *   <li>{@code logs/<name>-<n>.log}: the output of the n-th start of each node, kept for debugging.</li>
 * </ul>
 *
 * <p>All nodes share one public URL ({@code --hostname}), as they would behind a load balancer: Keycloak checks a
 * refresh token's issuer against the URL of the node it reaches, so without a shared hostname a token issued by one
 * node would be refused by the other. Tests still call each node directly on its own port.
 */
public final class KeycloakCluster implements AutoCloseable {

    /** Build-time options of the cluster's distribution. */
    private static final List<String> BUILD_OPTIONS = List.of("--db=postgres", "--health-enabled=true");

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(Long.getLong("keycloak.startup.timeout.seconds", 300));
    private static final Pattern CLUSTER_VIEW = Pattern.compile("ISPN000094: Received new cluster view for channel \\S+: \\[[^\\]]*\\] \\((\\d+)\\) \\[(.*)\\]");
    /** JGroups' FD_SOCK2 listens on the transport port + 50000, so transport ports must stay below 15535. */
    private static final int FD_SOCK2_OFFSET = 50000;

    private final Path root;
    private final Path template;
    private final Path logs;
    private final Path realmDir;
    private final PostgresServer database;
    private final List<String> serverOptions;
    private final String publicUrl;
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final Set<Integer> usedClusterPorts = new HashSet<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "stop-keycloak-cluster");

    private KeycloakCluster(Path root, Path realmDir, PostgresServer database, List<String> serverOptions, String publicUrl) {
        this.root = root;
        this.template = root.resolve("home");
        this.logs = root.resolve("logs");
        this.realmDir = realmDir;
        this.database = database;
        this.serverOptions = serverOptions;
        this.publicUrl = publicUrl;
    }

    /**
     * Prepares (and if needed builds) the cluster's distribution under {@code target/keycloak-cluster}; starts no
     * node. {@code serverOptions} are given to every node.
     */
    public static KeycloakCluster create(PostgresServer database, List<String> serverOptions) {
        Path dist = Path.of(Harness.requiredProperty("keycloak.dist.dir"));
        Path providers = Path.of(Harness.requiredProperty("keycloak.providers.dir"));
        Path realmDir = Path.of(Harness.requiredProperty("keycloak.realm.dir"));
        Path root = Path.of(Harness.requiredProperty("project.build.directory")).resolve("keycloak-cluster");
        if (!Files.isExecutable(dist.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + dist
                    + " (run through Maven: mvn verify unpacks org.keycloak:keycloak-quarkus-dist)");
        }
        try {
            Files.createDirectories(root);
            KeycloakCluster cluster = new KeycloakCluster(root, realmDir, database, List.copyOf(serverOptions),
                    "http://localhost:" + Harness.freePort());
            cluster.stopLeftoverNodes();
            Harness.deleteRecursively(cluster.logs);
            Files.createDirectories(cluster.logs);
            cluster.prepareTemplate(dist, providers);
            Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL every node puts into tokens ({@code --hostname}); nothing listens there. */
    public String publicUrl() {
        return publicUrl;
    }

    public PostgresServer database() {
        return database;
    }

    public Node node(String name) {
        Node node = nodes.get(name);
        if (node == null) {
            throw new IllegalArgumentException("No node " + name);
        }
        return node;
    }

    /**
     * Starts node {@code name} (a new one, or again after {@link Node#stop()}, keeping its home) and waits until it
     * is ready. The first node to start on an empty database creates the schema and imports the realm.
     */
    public synchronized Node start(String name) {
        Node node = nodes.get(name);
        if (node == null) {
            node = new Node(name, root.resolve("node-" + name));
            node.prepareHome();
            nodes.put(name, node);
        }
        node.start();
        return node;
    }

    /**
     * Stops every running node (gracefully, as an orchestrator would), one after the other. Takes no lock, so the
     * shutdown hook can stop a node that is still starting.
     */
    public void stopAll() {
        for (Node node : nodes.values()) {
            node.stop();
        }
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    // ----------------------------------------------------------------------------------------------- distribution

    private void prepareTemplate(Path dist, Path providers) throws IOException {
        List<Path> jars;
        try (Stream<Path> s = Files.list(providers)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        String fingerprint = fingerprint(dist, jars);
        Path marker = template.resolve(".build-fingerprint");
        if (Files.exists(marker) && Files.readString(marker).equals(fingerprint)) {
            return;
        }
        Harness.deleteRecursively(template);
        // A copy, not links: the build rewrites lib/quarkus, which must not touch the shared distribution.
        copyTree(dist, template, false, Set.of(dist.resolve("data"), dist.resolve("providers")));
        Path target = Files.createDirectories(template.resolve("providers"));
        for (Path jar : jars) {
            Files.copy(jar, target.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of(template.resolve("bin/kc.sh").toString(), "build"));
        command.addAll(BUILD_OPTIONS);
        Path buildLog = logs.resolve("build.log");
        Process build = new ProcessBuilder(command).directory(template.toFile())
                .redirectErrorStream(true).redirectOutput(buildLog.toFile()).start();
        try {
            if (!build.waitFor(10, TimeUnit.MINUTES)) {
                build.destroyForcibly();
                throw new IllegalStateException("kc.sh build timed out; see " + buildLog);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            build.destroyForcibly();
            throw new IllegalStateException(e);
        }
        if (build.exitValue() != 0) {
            throw new IllegalStateException("kc.sh build failed (" + build.exitValue() + "):\n" + Harness.logTail(buildLog, 40));
        }
        Files.writeString(marker, fingerprint);
    }

    private static String fingerprint(Path dist, List<Path> jars) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(dist.toRealPath().toString().getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(dist.resolve("version.txt")));
            sha.update(String.join(" ", BUILD_OPTIONS).getBytes(StandardCharsets.UTF_8));
            for (Path jar : jars) {
                sha.update(jar.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                sha.update(Files.readAllBytes(jar));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies {@code from} to {@code to} with hard links ({@code link}) or real copies, leaving out {@code skip}. */
    private static void copyTree(Path from, Path to, boolean link, Set<Path> skip) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                if (skip.stream().anyMatch(source::startsWith)) {
                    continue;
                }
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!(link && tryLink(target, source))) {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** A hard link, or false where the file system has none (then the caller copies). */
    private static boolean tryLink(Path link, Path existing) throws IOException {
        try {
            Files.createLink(link, existing);
            return true;
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Nodes of an earlier run whose JVM died before its shutdown hook ran (found by their pid file and home). */
    private void stopLeftoverNodes() throws IOException {
        try (Stream<Path> files = Files.list(root)) {
            for (Path pidFile : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                String home = pidFile.getFileName().toString().replace(".pid", "");
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid)
                        .filter(h -> h.info().commandLine().orElse("").contains(root.resolve(home).toString()))
                        .ifPresent(h -> {
                            h.descendants().forEach(ProcessHandle::destroyForcibly);
                            h.destroyForcibly();
                        });
                Files.delete(pidFile);
            }
        }
    }

    private synchronized int allocateClusterPort() throws IOException {
        // JGroups' TCP transport tries port..port+10 when a port is taken; FD_SOCK2 uses port + 50000.
        for (int port = 7800; port + FD_SOCK2_OFFSET < 65535; port += 11) {
            if (usedClusterPorts.contains(port)) {
                continue;
            }
            if (isFree(port) && isFree(port + FD_SOCK2_OFFSET)) {
                usedClusterPorts.add(port);
                return port;
            }
        }
        throw new IllegalStateException("No free cluster port pair (p, p+" + FD_SOCK2_OFFSET + ") on loopback");
    }

    // ----------------------------------------------------------------------------------------------- nodes

    /** One node: a {@link KeycloakServer} whose issuer is the cluster's public URL. */
    public final class Node implements KeycloakServer {

        private final String name;
        private final Path home;
        private final Path pidFile;
        private int starts;
        private Path log;
        private int httpPort;
        private int managementPort;
        private int clusterPort;
        private volatile Process process;

        private Node(String name, Path home) {
            this.name = name;
            this.home = home;
            this.pidFile = root.resolve(home.getFileName() + ".pid");
        }

        private void prepareHome() {
            try {
                Harness.deleteRecursively(home);
                copyTree(template, home, true, Set.of(template.resolve("data"), template.resolve(".build-fingerprint")));
                Path import_ = Files.createDirectories(home.resolve("data/import"));
                try (Stream<Path> realms = Files.list(realmDir)) {
                    for (Path realm : realms.filter(p -> p.toString().endsWith(".json")).toList()) {
                        Files.copy(realm, import_.resolve(realm.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private synchronized void start() {
            if (running()) {
                throw new IllegalStateException("Node " + name + " is already running");
            }
            for (int attempt = 1; ; attempt++) {
                launch();
                try {
                    awaitReady();
                    return;
                } catch (IllegalStateException e) {
                    // A port taken by another process between choosing and binding it: again, on other ports.
                    if (attempt >= Harness.START_ATTEMPTS || !Harness.portTaken(log)) {
                        throw e;
                    }
                    stop();
                }
            }
        }

        private void launch() {
            try {
                starts++;
                log = logs.resolve(name + "-" + starts + ".log");
                httpPort = Harness.freePort();
                managementPort = Harness.freePort();
                clusterPort = allocateClusterPort();
                List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                        "--http-enabled=true",
                        "--http-host=127.0.0.1",
                        "--http-port=" + httpPort,
                        "--http-management-port=" + managementPort,
                        "--hostname=" + publicUrl,
                        "--db-url=" + database.jdbcUrl(),
                        "--db-username=" + PostgresServer.USERNAME,
                        "--db-password=" + PostgresServer.PASSWORD,
                        "--db-pool-max-size=30",
                        "--cache=ispn",
                        "--cache-stack=jdbc-ping",
                        "--cache-embedded-network-bind-address=127.0.0.1",
                        "--cache-embedded-network-bind-port=" + clusterPort,
                        "--spi-cache-embedded--default--node-name=" + name,
                        "--import-realm"));
                command.addAll(serverOptions);
                process = Harness.launchKeycloak(home, command, log);
                Files.writeString(pidFile, Long.toString(process.pid()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void awaitReady() {
            Harness.awaitReady("Keycloak node " + name, process, List.of(URI.create(managementUrl() + "/health/ready"),
                    URI.create(realmUrl() + "/.well-known/openid-configuration")), STARTUP_TIMEOUT, log, this::stop);
        }

        public String name() {
            return name;
        }

        public boolean running() {
            return process != null && process.isAlive();
        }

        @Override
        public String baseUrl() {
            return "http://127.0.0.1:" + httpPort;
        }

        /** The public URL's realm: what tokens from every node carry as {@code iss}. */
        @Override
        public String issuer() {
            return publicUrl + "/realms/" + REALM;
        }

        public String managementUrl() {
            return "http://127.0.0.1:" + managementPort;
        }

        public int clusterPort() {
            return clusterPort;
        }

        public Path log() {
            return log;
        }

        /**
         * The members of the last cluster view this node logged (Infinispan's ISPN000094), e.g. {@code [a, b]};
         * empty before the node joined a cluster.
         */
        public List<String> clusterMembers() {
            List<String> members = List.of();
            for (String line : Harness.logLines(log)) {
                Matcher m = CLUSTER_VIEW.matcher(line);
                if (m.find()) {
                    members = Stream.of(m.group(2).split(",\\s*"))
                            .map(member -> member.replaceAll("\\(.*\\)$", "").strip())
                            .toList();
                }
            }
            return members;
        }

        /**
         * The process id of the node's JVM: {@code kc.sh} runs Java as its child (in the background, forwarding
         * signals, and waits for it), so this is the shell's Java descendant, not the shell itself.
         */
        public long pid() {
            Process process = this.process;
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("Node " + name + " is not running");
            }
            return process.descendants()
                    .filter(h -> h.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false))
                    .findFirst().orElseThrow(() -> new IllegalStateException("Node " + name + ": no Java process under kc.sh"))
                    .pid();
        }

        /**
         * {@code kill -9} of the node's JVM: no shutdown, no leaving the cluster, as when a machine dies. Then the
         * {@code kc.sh} around it is gone too. Returns the killed JVM's process id.
         */
        public long kill() {
            long pid = pid();
            Process process = this.process;
            try {
                Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
                if (kill.waitFor() != 0) {
                    throw new IllegalStateException("kill -9 " + pid + " failed");
                }
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("Node " + name + ": kc.sh still running 30 s after kill -9 of its JVM " + pid);
                }
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return pid;
        }

        /** Graceful stop (SIGTERM, as an orchestrator sends), forced after 60 s. */
        public void stop() {
            Process process = this.process;
            if (process == null) {
                return;
            }
            if (process.isAlive()) {
                List<ProcessHandle> children = process.descendants().toList();
                process.destroy();
                try {
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        children.forEach(ProcessHandle::destroyForcibly);
                        process.waitFor(10, TimeUnit.SECONDS);
                    }
                    for (ProcessHandle child : children) {
                        child.onExit().get(30, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                    children.forEach(ProcessHandle::destroyForcibly);
                } catch (Exception e) {
                    children.forEach(ProcessHandle::destroyForcibly);
                }
            }
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                // harmless
            }
        }

        @Override
        public void close() {
            stop();
        }

        @Override
        public String describe() {
            return "Keycloak cluster node " + name + " at " + baseUrl() + " (management " + managementUrl()
                    + ", cluster port " + clusterPort + ", home " + home + ", log " + log + ")";
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    // ----------------------------------------------------------------------------------------------- helpers



    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }



}
