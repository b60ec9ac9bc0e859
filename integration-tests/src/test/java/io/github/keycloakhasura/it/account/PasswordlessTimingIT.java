package io.github.keycloakhasura.it.account;

import io.github.keycloakhasura.it.support.EmailRealm;
import io.github.keycloakhasura.it.support.Http;
import io.github.keycloakhasura.it.support.KeycloakExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.github.keycloakhasura.it.account.PasswordlessIT.PASSWORD;
import static io.github.keycloakhasura.it.account.PasswordlessIT.SEND;
import static io.github.keycloakhasura.it.account.PasswordlessAnswers.success;
import static io.github.keycloakhasura.it.support.KeycloakAdmin.unique;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Account enumeration by timing: sendLoginLink for known and unknown addresses, median over 20 each, interleaved.
 * Reports the medians; fails only when one is more than twice the other.
 */
@ExtendWith(KeycloakExtension.class)
class PasswordlessTimingIT {

    @RegisterExtension
    static final EmailRealm realm = new EmailRealm();

    @Test
    void sendLoginLinkTakesAsLongForKnownAsForUnknownAddresses() {
        int rounds = 20;
        List<String> known = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            String username = unique("timing");
            realm.createUser(username, PASSWORD, true);
            known.add(username + "@example.test");
        }
        for (int i = 0; i < 5; i++) { // warm-up: class loading, caches
            success(realm.graphql(SEND, Map.of("e", unique("warm") + "@example.test")));
        }
        long[] forKnown = new long[rounds];
        long[] forUnknown = new long[rounds];
        for (int i = 0; i < rounds; i++) { // interleaved, each known address once (no rate limit in play)
            forUnknown[i] = timed(unique("nobody") + "@example.test");
            forKnown[i] = timed(known.get(i));
        }
        double knownMs = median(forKnown) / 1e6;
        double unknownMs = median(forUnknown) / 1e6;
        System.out.printf("sendLoginLink median over %d: known %.2f ms, unknown %.2f ms, ratio %.2f%n",
                rounds, knownMs, unknownMs, knownMs / unknownMs);
        assertTrue(knownMs <= 2 * unknownMs && unknownMs <= 2 * knownMs,
                "enumeration by timing: known " + knownMs + " ms vs unknown " + unknownMs + " ms");
    }

    private static long timed(String email) {
        long start = System.nanoTime();
        Http.Response response = realm.graphql(SEND, Map.of("e", email));
        long elapsed = System.nanoTime() - start;
        assertTrue(success(response));
        return elapsed;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }

}
