package io.github.keycloakhasura.it.account;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.EnumerationTiming;
import io.github.keycloakhasura.it.support.Harness;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakAdmin;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import io.github.keycloakhasura.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answers that must not reveal an account take as long for a registered address as for an unknown one:
 * sendPasswordResetEmail, resendActivationEmail, createUser with "Verify email" on. The figures (median of
 * {@value #SAMPLES} answers per kind, three times as many for the two that answer in a few ms; kinds interleaved in a
 * seeded random order) are those of the benchmark's
 * enumeration section ({@link EnumerationTiming}, docs/benchmarks.md, where the target is 10 %); here a test fails
 * only past {@value #MAX_RATIO}x, a regression rather than the noise of a small shared machine. The answers of the two
 * kinds must be equal in every sample. Seed: {@code -Denumeration.seed=…} (printed), samples: {@code -Denumeration.samples=…}.
 */
@ExtendWith(KeycloakExtension.class)
class AccountEnumerationTimingIT {

    static final double MAX_RATIO = 2.0;
    static final int SAMPLES = 30;
    static final int WARM_UP = 10;
    /** Less than the 1 s after which the extension's email job starts. */
    static final long PROMPT_MS = 600;

    @RegisterExtension
    static final EmailRealm realm = new EmailRealm();
    static EnumerationTiming timing;

    @BeforeAll
    static void setUp(KeycloakServer keycloak) throws Exception {
        long seed = Long.getLong("enumeration.seed", System.nanoTime());
        int samples = Integer.getInteger("enumeration.samples", SAMPLES);
        System.out.printf("%n[AccountEnumerationTimingIT] seed %d (replay with -Denumeration.seed=%d), %d samples per kind%n",
                seed, seed, samples);
        timing = new EnumerationTiming(keycloak, Path.of(Harness.requiredProperty("project.root"), "realm-export", "app-realm.json"),
                realm.mailbox().port(), samples, WARM_UP, seed);
    }

    @AfterAll
    static void tearDown() {
        if (timing != null) {
            timing.close();
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

    /**
     * Why the times agree: the request does nothing with the address but queue a job that starts a second after the
     * answer. So right after the answer no event about the address is stored yet (before, the request wrote
     * "user_not_found" itself, and signed and reserved for a registered address); a moment later the job's is. A
     * sample whose event query ends more than {@value #PROMPT_MS} ms after the answer says nothing and is taken again.
     */
    @Test
    void theAnswerLeavesBeforeTheAddressIsLookedUp() {
        for (String[] operation : new String[][] {{EnumerationTiming.SEND_RESET, "RESET_PASSWORD_ERROR", "username"},
                {EnumerationTiming.RESEND, "SEND_VERIFY_EMAIL_ERROR", "email"}}) {
            boolean decided = false;
            for (int attempt = 0; attempt < 5 && !decided; attempt++) {
                String address = KeycloakAdmin.unique("nobody") + "@example.test";
                Http.Response answer = realm.graphql(operation[0], Map.of("e", address));
                long answered = System.nanoTime();
                boolean storedAlready = userNotFound(realm, operation[1], operation[2], address);
                if ((System.nanoTime() - answered) / 1_000_000 > PROMPT_MS) {
                    continue;
                }
                decided = true;
                assertEquals(200, answer.status(), answer.toString());
                assertFalse(storedAlready, operation[1] + " for " + address + " stored before the answer: the request looked the address up");
                Instant deadline = Instant.now().plusSeconds(20);
                while (!userNotFound(realm, operation[1], operation[2], address) && Instant.now().isBefore(deadline)) {
                    Harness.sleep(200);
                }
                assertTrue(userNotFound(realm, operation[1], operation[2], address), "the job looked " + address + " up");
            }
            assertTrue(decided, "the admin API never answered within " + PROMPT_MS + " ms of the answer");
        }
    }

    private static boolean userNotFound(EmailRealm realm, String type, String detail, String address) {
        for (JsonNode event : realm.eventsOfType(type)) {
            if (address.equals(event.path("details").path(detail).asText()) && "user_not_found".equals(event.path("error").asText())) {
                return true;
            }
        }
        return false;
    }

    private static void check(EnumerationTiming.Result result) {
        System.out.printf("[AccountEnumerationTimingIT] %s (ratio %.2f, fails past %.1f)%n", result, result.ratio(), MAX_RATIO);
        assertTrue(result.ratio() < MAX_RATIO, "the two kinds of address differ in answer time: " + result);
    }
}
