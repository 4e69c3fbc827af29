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
}
