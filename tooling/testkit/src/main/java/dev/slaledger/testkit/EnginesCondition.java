package dev.slaledger.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link UsesEngines}: disabled only when the selected engines cannot run here. */
final class EnginesCondition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return Engines.available()
                ? ConditionEvaluationResult.enabled("engines: " + Engines.Kind.parse(System.getProperty(Engines.PROPERTY)))
                : ConditionEvaluationResult.disabled(Engines.NO_DOCKER);
    }
}
