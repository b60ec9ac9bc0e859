package io.github.keycloakhasura.it.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The heap of a running Keycloak JVM through the JDK's {@code jcmd}: a full GC, then the heap in use. */
final class Jvm {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private Jvm() {
    }

    /** Heap in use right after a full collection ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}), in MiB. */
    static double heapAfterFullGcMiB(long pid) {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        Matcher m = USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("no heap use in: " + info);
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    private static String jcmd(long pid, String command) {
        try {
            // A busy JVM may take longer than jcmd's default 10 s to open its attach socket.
            Process p = new ProcessBuilder("jcmd", "-J-Dsun.tools.attach.attachTimeout=30000", Long.toString(pid), command)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + ": " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("jcmd (the JDK's) is needed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
