package dev.slaledger.infrastructure;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * Acknowledged cdk-nag findings. Each one names the rule and says why the finding does not apply
 * or is accepted; anything not acknowledged here fails the tests (and shows in {@code cdk synth}).
 */
final class Nag {
    private Nag() {
    }

    /** Acknowledges {@code rule} on the construct and everything under it. */
    static void acknowledge(IConstruct construct, String rule, String reason) {
        NagSuppressions.addResourceSuppressions(construct,
                List.of(NagPackSuppression.builder().id(rule).reason(reason).build()), true);
    }

    /** Acknowledges {@code rule} in the whole stack, only for findings matching {@code regex} (cdk-nag's form). */
    static void acknowledgeInStack(Stack stack, String rule, String reason, String regex) {
        NagSuppressions.addStackSuppressions(stack, List.of(NagPackSuppression.builder().id(rule).reason(reason)
                .appliesTo(List.of(RegexAppliesTo.builder().regex(regex).build())).build()), true);
    }

    /** Acknowledges {@code rule} only for the listed findings (e.g. one wildcard resource). */
    static void acknowledge(IConstruct construct, String rule, String reason, List<String> appliesTo) {
        NagSuppressions.addResourceSuppressions(construct,
                List.of(NagPackSuppression.builder().id(rule).reason(reason).appliesTo(List.copyOf(appliesTo)).build()),
                true);
    }
}
