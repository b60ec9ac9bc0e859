package io.github.keycloakhasura.it.support;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;

/**
 * A throwaway PostgreSQL plus a {@link KeycloakCluster} on it (no node started yet) for one test class, injected as a
 * {@link KeycloakCluster} parameter. Both are closed when the class ends, passed or failed (JUnit store), and by
 * shutdown hooks if the JVM ends first. Without PostgreSQL binaries the class is skipped, unless {@code CI=true};
 * {@code -Dkeycloak.cluster.skip=true} skips it too.
 */
public final class KeycloakClusterExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KeycloakClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    private static KeycloakCluster cluster(ExtensionContext context) {
        if (Boolean.getBoolean("keycloak.cluster.skip")) {
            System.err.println("Skipping " + context.getDisplayName() + ": -Dkeycloak.cluster.skip=true");
            Assumptions.abort("-Dkeycloak.cluster.skip=true");
        }
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElseThrow() : context;
        return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(KeycloakCluster.class, key -> {
            Path target = Path.of(System.getProperty("project.build.directory", "target"));
            PostgresServer postgres = PostgresServer.startOrSkip(target.resolve("keycloak-cluster-postgres"));
            try {
                return new Holder(postgres, KeycloakCluster.create(postgres, KeycloakExtension.SERVER_OPTIONS));
            } catch (RuntimeException | Error e) {
                postgres.close();
                throw e;
            }
        }, Holder.class).cluster;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KeycloakCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return cluster(extensionContext);
    }

    /** Nodes first, then their database. (Both interfaces: JUnit before and after 5.13; closing twice is harmless.) */
    private record Holder(PostgresServer postgres, KeycloakCluster cluster)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        @Override
        public void close() {
            try {
                cluster.close();
            } finally {
                postgres.close();
            }
        }
    }
}
