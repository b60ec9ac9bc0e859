package io.github.keycloakhasura.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ServiceAccountTokensTest {

    private static final URI BASE = URI.create("http://localhost:8080/");
    private static final long LIFESPAN = 300;

    private final AtomicLong now = new AtomicLong(1_000);
    private final List<String> issued = new ArrayList<>();
    private final ServiceAccountTokens tokens = new ServiceAccountTokens(now::get, (factory, realmId, clientId, base) -> {
        String token = realmId + "/" + clientId + "/" + base + "#" + issued.size();
        issued.add(token);
        return new ServiceAccountTokens.Issued(token, now.get() + LIFESPAN);
    });

    @Test
    void aTokenIsReusedUntilShortlyBeforeItExpires() {
        String first = tokens.token(null, "realm-1", "hasura-sync", BASE);
        now.addAndGet(LIFESPAN - ServiceAccountTokens.REFRESH_MARGIN_SECONDS - 1);
        assertEquals(first, tokens.token(null, "realm-1", "hasura-sync", BASE));
        assertEquals(1, issued.size());
    }

    @Test
    void aTokenCloseToItsExpiryIsIssuedAgain() {
        String first = tokens.token(null, "realm-1", "hasura-sync", BASE);
        now.addAndGet(LIFESPAN - ServiceAccountTokens.REFRESH_MARGIN_SECONDS);
        String second = tokens.token(null, "realm-1", "hasura-sync", BASE);
        assertEquals(List.of(first, second), issued);
        assertEquals(second, tokens.token(null, "realm-1", "hasura-sync", BASE));
    }

    @Test
    void aTokenShorterThanTheMarginIsNeverReused() {
        ServiceAccountTokens shortLived = new ServiceAccountTokens(now::get, (f, r, c, b) -> {
            issued.add("t" + issued.size());
            return new ServiceAccountTokens.Issued(issued.get(issued.size() - 1),
                    now.get() + ServiceAccountTokens.REFRESH_MARGIN_SECONDS);
        });
        shortLived.token(null, "realm-1", "hasura-sync", BASE);
        shortLived.token(null, "realm-1", "hasura-sync", BASE);
        assertEquals(2, issued.size());
    }

    @Test
    void tokensAreKeptPerRealmClientAndBaseUri() {
        tokens.token(null, "realm-1", "hasura-sync", BASE);
        tokens.token(null, "realm-2", "hasura-sync", BASE);
        tokens.token(null, "realm-1", "other", BASE);
        tokens.token(null, "realm-1", "hasura-sync", URI.create("https://auth.example.com/"));
        tokens.token(null, "realm-1", "hasura-sync", null);
        assertEquals(5, issued.size());
        tokens.token(null, "realm-1", "hasura-sync", BASE);
        assertEquals(5, issued.size());
    }

    @Test
    void invalidateForgetsOnlyThatClientsTokens() {
        tokens.token(null, "realm-1", "hasura-sync", BASE);
        String other = tokens.token(null, "realm-1", "other", BASE);
        tokens.invalidate("realm-1", "hasura-sync");
        tokens.token(null, "realm-1", "hasura-sync", BASE);
        assertEquals(3, issued.size());
        assertEquals(other, tokens.token(null, "realm-1", "other", BASE));
        assertEquals(3, issued.size());
    }
}
