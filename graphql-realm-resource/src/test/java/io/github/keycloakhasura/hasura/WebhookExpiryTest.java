package io.github.keycloakhasura.hasura;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.AccessToken;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WebhookExpiryTest {

    @Test
    void imfFixdateOfTheTokensExpiry() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", WebhookExpiry.format(784111777L));
        AccessToken token = new AccessToken();
        token.exp(1_800_000_000L);
        assertEquals("Fri, 15 Jan 2027 08:00:00 GMT", WebhookExpiry.expires(token));
        assertNull(WebhookExpiry.expires(new AccessToken()));
    }
}
