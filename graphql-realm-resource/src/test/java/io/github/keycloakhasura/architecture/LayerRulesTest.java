package io.github.keycloakhasura.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The GraphQL module's layers, as docs/architecture.md draws them: transport ({@code graphql.http}) → engine
 * ({@code graphql.engine}) → capabilities (every other {@code graphql.*} package: {@code fetchers},
 * {@code organizations}, {@code passwordless}, ...) → the Keycloak adapter ({@code graphql.keycloak}); the capabilities
 * plug in through the kernel ({@code graphql.capability}); {@code graphql.spi} composes them all and nobody imports
 * it; {@code graphql.api} (plain values) imports no Keycloak type; no package cycle anywhere.
 */
class LayerRulesTest {

    private static final String GRAPHQL = "io.github.keycloakhasura.graphql";

    /** The packages under graphql that are not a capability. */
    private static final Set<String> INFRASTRUCTURE = Set.of("spi", "http", "engine", "capability", "keycloak", "api");

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.keycloakhasura");

    /** A capability package: any direct subpackage of graphql (and below) that is not infrastructure. */
    static final DescribedPredicate<JavaClass> CAPABILITY = DescribedPredicate.describe("a capability package",
            type -> capabilityOf(type.getPackageName()) != null);

    static String capabilityOf(String packageName) {
        if (!packageName.startsWith(GRAPHQL + ".")) {
            return null;
        }
        String first = packageName.substring(GRAPHQL.length() + 1).split("\\.")[0];
        return INFRASTRUCTURE.contains(first) ? null : first;
    }

    @Test
    void layersRunOneWayFromTransportToTheKeycloakAdapter() {
        ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Composition").definedBy(GRAPHQL + ".spi..")
                .layer("Transport").definedBy(GRAPHQL + ".http..")
                .layer("Engine").definedBy(GRAPHQL + ".engine..")
                .layer("Capabilities").definedBy(CAPABILITY)
                .layer("CapabilityKernel").definedBy(GRAPHQL + ".capability..")
                .layer("KeycloakAdapter").definedBy(GRAPHQL + ".keycloak..")
                .layer("Api").definedBy(GRAPHQL + ".api..")
                .whereLayer("Composition").mayNotBeAccessedByAnyLayer()
                .whereLayer("Transport").mayOnlyBeAccessedByLayers("Composition")
                .whereLayer("Engine").mayOnlyBeAccessedByLayers("Composition", "Transport")
                .whereLayer("Capabilities").mayOnlyBeAccessedByLayers("Composition")
                .whereLayer("CapabilityKernel").mayOnlyBeAccessedByLayers("Composition", "Engine", "Capabilities")
                .whereLayer("KeycloakAdapter").mayOnlyBeAccessedByLayers("Composition", "Capabilities")
                .whereLayer("Api").mayOnlyBeAccessedByLayers("Composition", "Transport", "Engine", "Capabilities",
                        "CapabilityKernel", "KeycloakAdapter");
        layers.check(CLASSES);
    }

    @Test
    void capabilitiesDoNotImportEachOther() {
        slices().matching(GRAPHQL + ".(*)..").that(DescribedPredicate.describe("capability packages",
                        slice -> !INFRASTRUCTURE.contains(slice.getNamePart(1))))
                .should().notDependOnEachOther()
                .check(CLASSES);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.github.keycloakhasura.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void apiImportsNoKeycloakType() {
        noClasses().that().resideInAPackage(GRAPHQL + ".api..")
                .should().dependOnClassesThat().resideInAPackage("org.keycloak..")
                .check(CLASSES);
    }

    @Test
    void sharedPackagesImportNoGraphqlLayer() {
        noClasses().that().resideInAnyPackage(GRAPHQL, "io.github.keycloakhasura.trust..",
                        "io.github.keycloakhasura.compat..", "io.github.keycloakhasura.json..",
                        "io.github.keycloakhasura.options..", "io.github.keycloakhasura.hasura..",
                        "io.github.keycloakhasura.mapper..", "io.github.keycloakhasura.pat..", "io.github.keycloakhasura.sync..",
                        "io.github.keycloakhasura.outage..",
                        "io.github.keycloakhasura.variables..")
                .should().dependOnClassesThat().resideInAPackage(GRAPHQL + ".*..")
                .check(CLASSES);
    }

    @Test
    void engineNamesNoOperation() {
        noClasses().that().resideInAPackage(GRAPHQL + ".engine..")
                .should().dependOnClassesThat(CAPABILITY)
                .orShould().dependOnClassesThat().resideInAPackage(GRAPHQL + ".keycloak..")
                .check(CLASSES);
    }
}
