package dev.slaledger.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.slaledger.adapter.dynamodb.DynamoDbLedger;
import dev.slaledger.core.usecase.ClaimService;
import dev.slaledger.core.usecase.StatementService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 29 item 2: one ledger graph. Nothing outside the core builds a {@link StatementService} or a
 * {@link ClaimService}: the core's {@code Ledger} assembles them on its stores (DynamoDB's
 * {@link DynamoDbLedger} in AWS, the in-memory twins in the local runtime's memory engine), and the
 * month-end, the claims API, the notifier, the local runtime and the harnesses get theirs from it, so
 * they run the same object graph.
 */
class LedgerGraphRulesTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.slaledger");

    @Test
    @DisplayName("the StatementService and the ClaimService are assembled by the core's Ledger only")
    void oneLedgerGraph() {
        for (Class<?> useCase : new Class<?>[] {StatementService.class, ClaimService.class}) {
            noClasses().that().resideOutsideOfPackage("dev.slaledger.core..")
                    .should().callConstructorWhere(target(owner(type(useCase))))
                    .because("the ledger graph is assembled once (the core's Ledger)")
                    .check(CLASSES);
        }
    }
}
