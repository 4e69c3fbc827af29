package dev.slaledger.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The module rules of docs/architecture.md over the production classes of every module (tests
 * left out): which package belongs to which module is fixed by the layout, so a rule on packages
 * is a rule on modules.
 *
 * <pre>
 * core (dev.slaledger.core)                  depends on nothing of ours
 * lambda support (dev.slaledger.lambda, .priming)  on core at most
 * adapters (dev.slaledger.adapter.*)         on core only; never on each other
 * in-memory adapters (dev.slaledger.adapter.memory)  the local runtime's in-process engine: in no function
 * functions (ingest, accounts, monthend, claims, notifier)  on core, lambda support, adapters; never on each other
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModuleDependencyRulesTest {
    private static final List<String> FUNCTIONS = List.of("ingest", "accounts", "monthend", "claims", "notifier");
    private static final String[] OUTSIDE_CORE = {"dev.slaledger.adapter..", "dev.slaledger.lambda..",
        "dev.slaledger.priming..", "dev.slaledger.ingest..", "dev.slaledger.accounts..", "dev.slaledger.monthend..",
        "dev.slaledger.claims..", "dev.slaledger.notifier..", "dev.slaledger.local..", "dev.slaledger.testkit..",
        "dev.slaledger.infrastructure..", "dev.slaledger.benchmarks.."};
    private JavaClasses classes;

    @BeforeAll
    void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.slaledger");
    }

    @Test
    @DisplayName("core depends on nothing of ours")
    void coreDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("dev.slaledger.core..")
                .should().dependOnClassesThat().resideInAnyPackage(OUTSIDE_CORE)
                .check(classes);
    }

    @Test
    @DisplayName("lambda support depends on core at most: no adapter, no function")
    void lambdaSupportKnowsNoAdapterOrFunction() {
        noClasses().that().resideInAnyPackage("dev.slaledger.lambda..", "dev.slaledger.priming..")
                .should().dependOnClassesThat().resideInAnyPackage(functionsAnd("dev.slaledger.adapter.."))
                .check(classes);
    }

    @Test
    @DisplayName("adapters depend on core only: not on each other, not on lambda support, not on a function")
    void adaptersDependOnCoreOnly() {
        slices().matching("dev.slaledger.adapter.(*)..").should().notDependOnEachOther().check(classes);
        noClasses().that().resideInAPackage("dev.slaledger.adapter..")
                .should().dependOnClassesThat().resideInAnyPackage(functionsAnd("dev.slaledger.lambda..",
                        "dev.slaledger.priming.."))
                .check(classes);
    }

    @Test
    @DisplayName("the in-process engine's adapters (adapter-memory) reach no function, so no Lambda package")
    void inMemoryAdaptersStayOutOfFunctions() {
        noClasses().that().resideInAnyPackage(functionsAnd("dev.slaledger.lambda..", "dev.slaledger.priming.."))
                .should().dependOnClassesThat().resideInAPackage("dev.slaledger.adapter.memory..")
                .check(classes);
    }

    @Test
    @DisplayName("no function module depends on another function module")
    void functionsDoNotDependOnEachOther() {
        for (String function : FUNCTIONS) {
            String[] others = FUNCTIONS.stream().filter(f -> !f.equals(function))
                    .map(f -> "dev.slaledger." + f + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("dev.slaledger." + function + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .check(classes);
        }
    }

    @Test
    @DisplayName("nothing deployed depends on tooling: core, lambda support, adapters and functions reach no emulator, test kit or local class")
    void deployedCodeKnowsNoTooling() {
        noClasses().that().resideInAnyPackage(functionsAnd("dev.slaledger.core..", "dev.slaledger.lambda..",
                        "dev.slaledger.priming..", "dev.slaledger.adapter.."))
                .should().dependOnClassesThat().resideInAnyPackage("dev.slaledger.emulators..",
                        "dev.slaledger.testkit..", "dev.slaledger.local..")
                .check(classes);
    }

    @Test
    @DisplayName("the emulators depend on no module of ours (the engines stand for AWS, not for our code)")
    void emulatorsKnowNoModuleOfOurs() {
        noClasses().that().resideInAPackage("dev.slaledger.emulators..")
                .should().dependOnClassesThat().resideInAnyPackage(functionsAnd("dev.slaledger.core..",
                        "dev.slaledger.lambda..", "dev.slaledger.priming..", "dev.slaledger.adapter..",
                        "dev.slaledger.testkit..", "dev.slaledger.local.."))
                .check(classes);
    }

    private static String[] functionsAnd(String... more) {
        List<String> packages = new java.util.ArrayList<>(FUNCTIONS.stream().map(f -> "dev.slaledger." + f + "..")
                .toList());
        packages.addAll(List.of(more));
        return packages.toArray(String[]::new);
    }
}
