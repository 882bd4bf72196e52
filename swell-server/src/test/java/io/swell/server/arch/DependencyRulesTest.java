package io.swell.server.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module rules of docs/architecture.md, checked on the compiled classes rather than hoped for. */
class DependencyRulesTest {
    private static final JavaClasses SWELL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.swell");

    @Test
    void lowerModulesNeverUseHigherOnes() {
        assertThat(noClasses().that().resideInAPackage("io.swell.api..")
                .should().dependOnClassesThat().resideInAnyPackage("io.swell.oci..", "io.swell.registry..",
                        "io.swell.core..", "io.swell.store..", "io.swell.server..")
                .evaluate(SWELL).getFailureReport().getDetails()).isEmpty();
        assertThat(noClasses().that().resideInAPackage("io.swell.oci..")
                .should().dependOnClassesThat().resideInAnyPackage("io.swell.registry..", "io.swell.core..",
                        "io.swell.store..", "io.swell.server..", "org.eclipse.jetty..")
                .evaluate(SWELL).getFailureReport().getDetails()).isEmpty();
        assertThat(noClasses().that().resideInAPackage("io.swell.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("io.swell.core..", "io.swell.store..",
                        "io.swell.server..")
                .evaluate(SWELL).getFailureReport().getDetails()).isEmpty();
        assertThat(noClasses().that().resideInAPackage("io.swell.core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.swell.store..", "io.swell.server..",
                        "org.eclipse.jetty.server..", "tools.jackson.dataformat..")
                .evaluate(SWELL).getFailureReport().getDetails()).isEmpty();
    }

    @Test
    void onlyTheServerKnowsJettyServerAndTheConfigFormat() {
        assertThat(noClasses().that().resideOutsideOfPackage("io.swell.server..")
                .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty.server..",
                        "tools.jackson.dataformat.yaml..", "picocli..")
                .evaluate(SWELL).getFailureReport().getDetails()).isEmpty();
    }

    @Test
    void packagesHaveNoCycles() {
        assertThat(slices().matching("io.swell.(**)").should().beFreeOfCycles().evaluate(SWELL).getFailureReport().getDetails()).isEmpty();
    }
}
