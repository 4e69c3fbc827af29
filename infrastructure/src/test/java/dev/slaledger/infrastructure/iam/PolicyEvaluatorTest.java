package dev.slaledger.infrastructure.iam;

import static dev.slaledger.infrastructure.iam.PolicyEvaluator.Decision.ALLOW;
import static dev.slaledger.infrastructure.iam.PolicyEvaluator.Decision.EXPLICIT_DENY;
import static dev.slaledger.infrastructure.iam.PolicyEvaluator.Decision.IMPLICIT_DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.infrastructure.iam.PolicyEvaluator.Request;
import dev.slaledger.infrastructure.iam.PolicyEvaluator.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolicyEvaluatorTest {
    private static final String LEDGER = "arn:aws:dynamodb:eu-west-1:000000000000:table/Ledger";

    private static Request get(String key) {
        return new Request("dynamodb:GetItem", LEDGER, Map.of("dynamodb:LeadingKeys", List.of(key)));
    }

    @Test
    @DisplayName("deny by default: no statement, or none matching action or resource, denies")
    void denyByDefault() {
        assertThat(new PolicyEvaluator(List.of()).decide(get("TERMS"))).isEqualTo(IMPLICIT_DENY);
        PolicyEvaluator p = new PolicyEvaluator(List.of(Statement.allow(List.of("dynamodb:PutItem"), List.of(LEDGER))));
        assertThat(p.decide(get("TERMS"))).isEqualTo(IMPLICIT_DENY);
        assertThat(p.decide(new Request("dynamodb:PutItem", LEDGER + "2"))).isEqualTo(IMPLICIT_DENY);
        assertThat(p.decide(new Request("dynamodb:PutItem", LEDGER))).isEqualTo(ALLOW);
    }

    @Test
    @DisplayName("an explicit Deny wins over any Allow, in whichever order they come")
    void explicitDenyWins() {
        Statement allowAll = Statement.allow(List.of("dynamodb:*"), List.of("*"));
        Statement deny = new Statement("Deny", List.of("dynamodb:DeleteItem"), List.of(LEDGER), Map.of());
        Request delete = new Request("dynamodb:DeleteItem", LEDGER);
        assertThat(new PolicyEvaluator(List.of(allowAll, deny)).decide(delete)).isEqualTo(EXPLICIT_DENY);
        assertThat(new PolicyEvaluator(List.of(deny, allowAll)).decide(delete)).isEqualTo(EXPLICIT_DENY);
        assertThat(new PolicyEvaluator(List.of(allowAll, deny)).decide(get("x"))).isEqualTo(ALLOW);
    }

    @Test
    @DisplayName("wildcards: * spans ':' and '/', ? is one character, actions ignore case, resources do not")
    void wildcards() {
        assertThat(PolicyEvaluator.wildcard("dynamodb:Get*", "dynamodb:GetItem", true)).isTrue();
        assertThat(PolicyEvaluator.wildcard("DynamoDB:getitem", "dynamodb:GetItem", true)).isTrue();
        assertThat(PolicyEvaluator.wildcard(LEDGER + "/index/*", LEDGER + "/index/stale", false)).isTrue();
        assertThat(PolicyEvaluator.wildcard(LEDGER, LEDGER + "/index/stale", false)).isFalse();
        assertThat(PolicyEvaluator.wildcard("ST#?", "ST#1", false)).isTrue();
        assertThat(PolicyEvaluator.wildcard("ST#?", "ST#12", false)).isFalse();
        assertThat(PolicyEvaluator.wildcard("arn:aws:sqs:*:*:Work", "arn:aws:sqs:eu-west-1:1:work", false)).isFalse();
    }

    @Test
    @DisplayName("dynamodb:LeadingKeys with ForAllValues:StringLike: every partition key of the request must match a pattern")
    void leadingKeys() {
        PolicyEvaluator p = new PolicyEvaluator(List.of(new Statement("Allow", List.of("dynamodb:GetItem"), List.of(LEDGER),
                Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", List.of("ST#*", "TERMS"))))));
        assertThat(p.decide(get("ST#acme#2026-10"))).isEqualTo(ALLOW);
        assertThat(p.decide(get("TERMS"))).isEqualTo(ALLOW);
        assertThat(p.decide(get("CLAIM#acme"))).isEqualTo(IMPLICIT_DENY);
        assertThat(p.decide(new Request("dynamodb:GetItem", LEDGER,
                Map.of("dynamodb:LeadingKeys", List.of("TERMS", "CLAIM#acme"))))).isEqualTo(IMPLICIT_DENY);
        // IAM: ForAllValues over no value holds (why a Scan, which has no leading key, must not be allowed)
        assertThat(p.decide(new Request("dynamodb:GetItem", LEDGER))).isEqualTo(ALLOW);
    }

    @Test
    @DisplayName("StringEquals on a single-valued key: absent key fails; ForAnyValue needs one match")
    void otherOperators() {
        assertThat(PolicyEvaluator.condition("StringEquals", List.of(), List.of("a"))).isFalse();
        assertThat(PolicyEvaluator.condition("StringEquals", List.of("a"), List.of("a", "b"))).isTrue();
        assertThat(PolicyEvaluator.condition("StringLike", List.of("abc"), List.of("a*"))).isTrue();
        assertThat(PolicyEvaluator.condition("ForAnyValue:StringEquals", List.of("x", "b"), List.of("b"))).isTrue();
        assertThat(PolicyEvaluator.condition("ForAnyValue:StringEquals", List.of(), List.of("b"))).isFalse();
        assertThat(PolicyEvaluator.condition("ForAllValues:StringEquals", List.of("b", "c"), List.of("b"))).isFalse();
    }

    @Test
    @DisplayName("an operator it does not evaluate fails loudly instead of passing")
    void unknownOperatorsThrow() {
        assertThatThrownBy(() -> PolicyEvaluator.condition("ArnLike", List.of("a"), List.of("a")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PolicyEvaluator.condition("Bool", List.of("true"), List.of("true")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
