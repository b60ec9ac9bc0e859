package io.github.keycloakhasura.it.account;

import io.github.keycloakhasura.it.support.EnumerationTiming;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answers that must not reveal an account take as long for a registered address as for an unknown one:
 * sendPasswordResetEmail, resendActivationEmail, createUser with "Verify email" on. The figures (median of
 * {@value #SAMPLES} answers per kind, kinds interleaved in a seeded random order) are those of the benchmark's
 * enumeration section ({@link EnumerationTiming}, docs/benchmarks.md, where the target is 10 %); here a test fails
 * only past {@value #MAX_RATIO}x, a regression rather than the noise of a small shared machine. The answers of the two
 * kinds must be equal in every sample. Seed: {@code -Denumeration.seed=…} (printed), samples: {@code -Denumeration.samples=…}.
 */
@ExtendWith(KeycloakExtension.class)
class AccountEnumerationTimingIT {

    static final double MAX_RATIO = 2.0;
    static final int SAMPLES = 30;
    static final int WARM_UP = 5;

    static Mailbox mailbox;
    static EnumerationTiming timing;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) throws Exception {
        long seed = Long.getLong("enumeration.seed", System.nanoTime());
        int samples = Integer.getInteger("enumeration.samples", SAMPLES);
        System.out.printf("%n[AccountEnumerationTimingIT] seed %d (replay with -Denumeration.seed=%d), %d samples per kind%n",
                seed, seed, samples);
        mailbox = new Mailbox();
        timing = new EnumerationTiming(keycloak, Path.of(Harness.requiredProperty("project.root"), "realm-export", "app-realm.json"),
                mailbox.port(), samples, WARM_UP, seed);
    }

    @AfterAll
    static void tearDown() {
        if (timing != null) {
            timing.close();
        }
        if (mailbox != null) {
            mailbox.close();
        }
    }

    @Test
    void passwordResetAnswersAsFastForAnUnknownAddressAsForARegisteredOne() {
        check(timing.passwordReset());
    }

    @Test
    void resendActivationAnswersAsFastForAnUnknownAddressAsForAWaitingOne() {
        check(timing.resendActivation());
    }

    @Test
    void signUpWithAnExistingAddressAnswersAsFastAsANewSignUp() {
        check(timing.signUp());
    }

    private static void check(EnumerationTiming.Result result) {
        System.out.printf("[AccountEnumerationTimingIT] %s (ratio %.2f, fails past %.1f)%n", result, result.ratio(), MAX_RATIO);
        assertTrue(result.ratio() < MAX_RATIO, "the two kinds of address differ in answer time: " + result);
    }
}
