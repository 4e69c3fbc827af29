package dev.slaledger.architecture;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.slaledger.core.statement.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 29 item 5: a {@link Statement} is built from named parts ({@link Statement#builder()}); its
 * 18-component constructor is called by its builder only in production code.
 */
class StatementRulesTest {

    @Test
    @DisplayName("nothing but Statement.Builder calls Statement's positional constructor (production code)")
    void builtFromNamedParts() {
        noClasses().that().doNotHaveFullyQualifiedName(Statement.Builder.class.getName())
                .should().callConstructorWhere(target(owner(type(Statement.class))))
                .because("a statement's 18 parts are named (Statement.builder())")
                .check(new ClassFileImporter().importPackages("dev.slaledger"));
    }
}
