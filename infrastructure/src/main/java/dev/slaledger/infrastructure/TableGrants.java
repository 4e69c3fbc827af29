package dev.slaledger.infrastructure;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * Least-privilege DynamoDB grants (issue 31 item 1): the actions a function's code calls on a table,
 * limited to the partition-key families it touches ({@code dynamodb:LeadingKeys}), and Query on the
 * indexes it reads, by name. What each function gets is decided by the calls its handler and its
 * SnapStart priming make in the integration tests (infrastructure {@code IamEvidenceIT}); the CDK's
 * {@code grantReadWriteData} would add Scan, BatchWriteItem, DeleteItem and every partition.
 */
final class TableGrants {
    private TableGrants() {
    }

    /**
     * {@code actions} (without the {@code dynamodb:} prefix) on the table's items whose partition key
     * matches one of {@code leadingKeys} ({@code *} and {@code ?} wildcards); none: every partition.
     */
    static void items(IGrantable grantee, ITable table, List<String> actions, List<String> leadingKeys) {
        PolicyStatement.Builder statement = PolicyStatement.Builder.create()
                .actions(actions.stream().map(a -> "dynamodb:" + a).toList())
                .resources(List.of(table.getTableArn()));
        if (!leadingKeys.isEmpty()) {
            statement.conditions(Map.of("ForAllValues:StringLike", Map.of("dynamodb:LeadingKeys", leadingKeys)));
        }
        grantee.getGrantPrincipal().addToPrincipalPolicy(statement.build());
    }

    /** Query on the named global secondary indexes of the table (they hold keys and counters only). */
    static void queryIndexes(IGrantable grantee, ITable table, List<String> indexes) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("dynamodb:Query"))
                .resources(indexes.stream().map(i -> table.getTableArn() + "/index/" + i).toList())
                .build());
    }
}
