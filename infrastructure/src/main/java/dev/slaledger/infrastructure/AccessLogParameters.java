package dev.slaledger.infrastructure;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import software.constructs.Node;

/**
 * Issue 21, optional CDK context: {@code accessLogGroups}, the names of existing API Gateway
 * access-log groups (comma-separated) to subscribe to the request stream, and
 * {@code accessLogAccountSource}, where ingest reads the account id of an access-log line:
 * {@code claim} (default) or {@code apiKeyId} (docs/infrastructure.md).
 */
public record AccessLogParameters(List<String> logGroups, String accountSource) {
    /** CloudWatch Logs' own rule for log group names. */
    private static final Pattern GROUP = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");

    public AccessLogParameters {
        logGroups = List.copyOf(logGroups);
        for (String g : logGroups) {
            if (!GROUP.matcher(g).matches()) {
                throw new IllegalArgumentException("context accessLogGroups: " + g + " is not a log group name");
            }
        }
        if (logGroups.stream().distinct().count() != logGroups.size()) {
            throw new IllegalArgumentException("context accessLogGroups: a log group given twice");
        }
        if (!accountSource.equals("claim") && !accountSource.equals("apiKeyId")) {
            throw new IllegalArgumentException("context accessLogAccountSource: " + accountSource
                    + " is not claim or apiKeyId");
        }
    }

    public static AccessLogParameters fromContext(Node node) {
        Object groups = node.tryGetContext("accessLogGroups");
        Object source = node.tryGetContext("accessLogAccountSource");
        return new AccessLogParameters(groups == null ? List.of()
                : Arrays.stream(groups.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                source == null ? "claim" : source.toString().trim());
    }
}
