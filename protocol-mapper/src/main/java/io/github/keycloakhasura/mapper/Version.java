package io.github.keycloakhasura.mapper;

/** The extension's version, from the jar manifest ("dev" when run from classes). */
public final class Version {

    private Version() {
    }

    public static String get() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
