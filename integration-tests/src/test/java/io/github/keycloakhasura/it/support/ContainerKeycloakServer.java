package io.github.keycloakhasura.it.support;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import org.testcontainers.utility.MountableFile;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** testcontainers-keycloak backend ({@code -Dkeycloak.backend=container}), for machines with a Docker engine. */
public final class ContainerKeycloakServer implements KeycloakServer {

    private final KeycloakContainer container;

    private ContainerKeycloakServer(KeycloakContainer container) {
        this.container = container;
    }

    public static ContainerKeycloakServer start(List<String> extraOptions) {
        Path providers = Path.of(System.getProperty("keycloak.providers.dir"));
        Path realmDir = Path.of(System.getProperty("keycloak.realm.dir"));
        String image = System.getProperty("keycloak.image", "quay.io/keycloak/keycloak:" + System.getProperty("keycloak.version"));
        try (Stream<Path> jars = Files.list(providers); Stream<Path> realms = Files.list(realmDir)) {
            List<File> providerJars = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toFile).toList();
            KeycloakContainer container = new KeycloakContainer(image)
                    .withAdminUsername(ADMIN_USERNAME)
                    .withAdminPassword(ADMIN_PASSWORD)
                    .withProviderLibsFrom(providerJars);
            for (Path realm : realms.filter(p -> p.toString().endsWith(".json")).toList()) {
                container.withCopyFileToContainer(MountableFile.forHostPath(realm),
                        "/opt/keycloak/data/import/" + realm.getFileName());
            }
            StringBuilder command = new StringBuilder("start-dev --import-realm --health-enabled=true");
            extraOptions.forEach(option -> command.append(' ').append(option));
            container.withCustomCommand(command.toString().replace("start-dev ", ""));
            container.start();
            return new ContainerKeycloakServer(container);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String baseUrl() {
        String url = container.getAuthServerUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String describe() {
        return "Keycloak container " + container.getDockerImageName() + " at " + baseUrl();
    }

    @Override
    public void close() {
        container.stop();
    }
}
