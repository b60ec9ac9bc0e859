package io.github.keycloakhasura.graphql.passwordless.passkeys;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DecoyCredentialTest {

    private static final byte[] KEY = "a realm's hs512 secret, 64 bytes or so ...........................".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_KEY = "another realm's secret .............................................".getBytes(StandardCharsets.UTF_8);

    @Test
    void aDecoyIsStablePerKeyRealmAndNameAnd32BytesLong() {
        byte[] id = DecoyCredential.id(KEY, "realm-1", "name:alice");
        assertEquals(DecoyCredential.ID_BYTES, id.length);
        assertArrayEquals(id, DecoyCredential.id(KEY, "realm-1", "name:alice"));
    }

    @Test
    void anyOtherKeyRealmOrNameGivesAnotherDecoy() {
        byte[] id = DecoyCredential.id(KEY, "realm-1", "name:alice");
        assertFalse(java.util.Arrays.equals(id, DecoyCredential.id(OTHER_KEY, "realm-1", "name:alice")));
        assertFalse(java.util.Arrays.equals(id, DecoyCredential.id(KEY, "realm-2", "name:alice")));
        assertFalse(java.util.Arrays.equals(id, DecoyCredential.id(KEY, "realm-1", "name:bob")));
        // realm and name are separated: ("realm-1", "0name") and ("realm-10", "name") do not collide
        assertFalse(java.util.Arrays.equals(DecoyCredential.id(KEY, "realm-1", "0name"), DecoyCredential.id(KEY, "realm-10", "name")));
    }
}
