package io.github.keycloakhasura.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.keycloakhasura.it.support.EnumerationTiming;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.KeycloakServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The enumeration section of the report: how long sendPasswordResetEmail, resendActivationEmail and createUser
 * (verify email) take for a registered address vs. an unknown one, measured by {@link EnumerationTiming} (the same
 * code as {@code AccountEnumerationTimingIT}) against a real SMTP server (GreenMail) in this JVM. Target: the medians
 * within 10 % of each other.
 */
final class EnumerationReport {

    static final double TARGET_PERCENT = 10;
    static final long SEED = 42;
    static final int WARM_UP = 20;

    private EnumerationReport() {
    }

    /** Measures the three operations, one request at a time, {@code samples} per kind. */
    static List<EnumerationTiming.Result> measure(KeycloakServer server, Path realmExport, int samples) throws IOException {
        GreenMail smtp = new GreenMail(new ServerSetup(Harness.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (EnumerationTiming timing = new EnumerationTiming(server, realmExport, smtp.getSmtp().getPort(), samples, WARM_UP, SEED)) {
            return timing.runAll();
        } finally {
            smtp.stop();
        }
    }

    static String section(List<EnumerationTiming.Result> results) {
        if (results == null || results.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("## Account enumeration: answer time by address\n\n");
        md.append("The answers that must not reveal whether an address has an account, timed for a registered address and ")
                .append("for an unknown one: one request at a time, the two kinds in a shuffled order per round (seed ")
                .append(SEED).append("), after ").append(WARM_UP).append(" warm-up rounds (")
                .append(WARM_UP * EnumerationTiming.CHEAP_FACTOR).append(" for the two cheap ones); a fresh address per sample (each ")
                .append("registered one gets its one email), the answers of both kinds checked equal. The realm (a copy of ")
                .append("`app`, \"Verify email\" on) sends to a real SMTP server in the load generator's JVM. Target: medians ")
                .append("within ").append((int) TARGET_PERCENT).append(" % of each other. `AccountEnumerationTimingIT` runs the ")
                .append("same measurement with fewer samples and fails only past 2x. The two operations that answer in a few ms get ")
                .append(EnumerationTiming.CHEAP_FACTOR).append(" times the samples: there a millisecond of jitter is tens of percent.\n\n");
        md.append("| operation | samples per kind | median, registered address (ms) | median, unknown address (ms) | difference | target | met |\n");
        md.append("|---|--:|--:|--:|--:|---|---|\n");
        for (EnumerationTiming.Result r : results) {
            md.append(String.format("| %s | %d | %.2f | %.2f | %.1f %% | ≤ %d %% | %s |%n", r.operation(), r.samples(),
                    r.knownMedianMs(), r.unknownMedianMs(), r.differencePercent(), (int) TARGET_PERCENT,
                    r.differencePercent() <= TARGET_PERCENT ? "yes" : "**no**"));
        }
        return md.append('\n').toString();
    }
}
