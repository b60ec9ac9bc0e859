package io.github.keycloakhasura.graphql.capability;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ports of one HTTP request, by type: each capability's fetchers ask for their own port
 * ({@code RequestContext.port(env, Passwordless.class)}); {@code spi.KeycloakPorts} registers the Keycloak ones.
 * A port is created when first asked for, at most once per request.
 */
public final class Ports {

    private final Map<Class<?>, Supplier<?>> suppliers;
    private final Map<Class<?>, Object> created = new HashMap<>();

    private Ports(Map<Class<?>, Supplier<?>> suppliers) {
        this.suppliers = suppliers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port of {@code type}; IllegalStateException when none is registered (a wiring mistake). */
    public <P> P get(Class<P> type) {
        Object port = created.get(type);
        if (port == null) {
            Supplier<?> supplier = suppliers.get(type);
            if (supplier == null) {
                throw new IllegalStateException("No port " + type.getName() + " in this request");
            }
            port = supplier.get();
            created.put(type, port);
        }
        return type.cast(port);
    }

    /** Registers each port type once. */
    public static final class Builder {
        private final Map<Class<?>, Supplier<?>> suppliers = new HashMap<>();

        public <P> Builder add(Class<P> type, Supplier<? extends P> supplier) {
            if (suppliers.putIfAbsent(type, supplier) != null) {
                throw new IllegalStateException("Port " + type.getName() + " registered twice");
            }
            return this;
        }

        public Ports build() {
            return new Ports(Map.copyOf(suppliers));
        }
    }
}
