package io.github.keycloakhasura.graphql.capability;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request's ports: each created when first asked for, once; a port nobody registered is a clear wiring error. */
class PortsTest {

    interface Greeter {
        String greet();
    }

    @Test
    void aPortIsCreatedOnFirstUseAndOncePerRequest() {
        AtomicInteger created = new AtomicInteger();
        Ports ports = Ports.builder().add(Greeter.class, () -> {
            created.incrementAndGet();
            return () -> "hi";
        }).build();
        assertEquals(0, created.get());
        Greeter first = ports.get(Greeter.class);
        assertSame(first, ports.get(Greeter.class));
        assertEquals(1, created.get());
    }

    @Test
    void aMissingPortNamesItsType() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ports.builder().build().get(Greeter.class));
        assertTrue(e.getMessage().contains(Greeter.class.getName()), e.getMessage());
    }

    @Test
    void aPortRegisteredTwiceIsRefused() {
        Ports.Builder builder = Ports.builder().add(Greeter.class, () -> () -> "a");
        assertThrows(IllegalStateException.class, () -> builder.add(Greeter.class, () -> () -> "b"));
    }
}
