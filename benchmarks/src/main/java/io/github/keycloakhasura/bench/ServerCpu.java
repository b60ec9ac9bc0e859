package io.github.keycloakhasura.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time used by the Keycloak JVM (user + system, from /proc/PID/stat), so each side can be charged the server
 * CPU it costs per request: on a shared machine this is much steadier than throughput, which also depends on what
 * the other processes do.
 */
final class ServerCpu {

    private final Path stat;
    private final long nanosPerTick;

    private ServerCpu(long pid, long ticksPerSecond) {
        this.stat = Path.of("/proc/" + pid + "/stat");
        this.nanosPerTick = 1_000_000_000L / ticksPerSecond;
    }

    /** The Keycloak JVM started by this process (kc.sh's java child), if /proc can be read. */
    static Optional<ServerCpu> find() {
        Optional<ProcessHandle> java = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("-Dkc.home.dir=")).orElse(false))
                .findFirst();
        if (java.isEmpty() || !Files.isReadable(Path.of("/proc/" + java.get().pid() + "/stat"))) {
            return Optional.empty();
        }
        return Optional.of(new ServerCpu(java.get().pid(), ticksPerSecond()));
    }

    /** User + system CPU time so far, in nanoseconds (tick resolution); -1 when unreadable. */
    long nanos() {
        try {
            String text = Files.readString(stat);
            // Fields after the command name (which is in parentheses and may contain spaces).
            String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * nanosPerTick;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
