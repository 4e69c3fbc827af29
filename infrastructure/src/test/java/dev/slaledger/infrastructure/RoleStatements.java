package dev.slaledger.infrastructure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** The IAM statements a synthesized function's execution role is granted, read back from the template. */
final class RoleStatements {
    private RoleStatements() {
    }

    /** Every statement of every policy attached to the role of the function {@code functionLogicalId}. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> of(Template app, String functionLogicalId) {
        Map<String, Map<String, Object>> resources = (Map<String, Map<String, Object>>) app.toJSON().get("Resources");
        Map<String, Object> function = resources.get(functionLogicalId);
        Object role = ((List<Object>) ((Map<String, Object>) DataStackTest.properties(function).get("Role"))
                .get("Fn::GetAtt")).get(0);
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Map<String, Object> policy : app.findResources("AWS::IAM::Policy").values()) {
            Map<String, Object> p = DataStackTest.properties(policy);
            if (((List<Object>) p.get("Roles")).contains(Map.of("Ref", role))) {
                statements.addAll((List<Map<String, Object>>) ((Map<String, Object>) p.get("PolicyDocument"))
                        .get("Statement"));
            }
        }
        return statements;
    }
}
