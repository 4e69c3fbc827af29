package dev.slaledger.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The core is the pure SLA engine (docs/architecture.md): no AWS SDK or Lambda runtime type in it. */
class CoreDependencyRulesTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.slaledger.core");

    @Test
    @DisplayName("no class of dev.slaledger.core depends on the AWS SDK or the Lambda runtime")
    void noAwsTypes() {
        noClasses().that().resideInAPackage("dev.slaledger.core..")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .because("the SLA engine must run and be tested without AWS")
                .check(CORE);
    }

    @Test
    @DisplayName("the engine does not depend on its in-memory port twins (tests and local runs wire them)")
    void enginePackagesDoNotUseMemoryAdapters() {
        noClasses().that().resideInAPackage("dev.slaledger.core..")
                .and().resideOutsideOfPackage("dev.slaledger.core.port.memory..")
                .should().dependOnClassesThat().resideInAPackage("dev.slaledger.core.port.memory..")
                .check(CORE);
    }

    @Test
    @DisplayName("the terms, which every function parses in its init, are read with jackson-core alone: no databind (issue 32 item 2)")
    void termsWithoutDatabind() {
        noClasses().that().resideInAPackage("dev.slaledger.core.terms..")
                .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson.databind..")
                .because("databind's first use costs a cold start about 100 ms of CPU (docs/benchmarks.md, "
                        + "InitCostProbe), and ingest needs it for nothing else")
                .check(CORE);
    }
}
