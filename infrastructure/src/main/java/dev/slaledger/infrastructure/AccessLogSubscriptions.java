package dev.slaledger.infrastructure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Arn;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.IStableListProducer;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.CfnStage;
import software.amazon.awscdk.services.apigateway.Stage;
import software.amazon.awscdk.services.apigatewayv2.IHttpStage;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.logs.CfnSubscriptionFilter;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Issue 21: API Gateway access-log groups streamed into the request stream by CloudWatch Logs
 * subscription filters, where ingest reads them beside D1 records (docs/ingest.md, docs/infrastructure.md).
 *
 * <p>One role for every filter, assumable only by CloudWatch Logs and only on behalf of the
 * subscribed log groups of this account and region ({@code aws:SourceArn}), allowed only
 * {@code kinesis:PutRecord}/{@code PutRecords} on the one stream. The stream is encrypted with the
 * AWS-managed key, which needs no grant. Each filter has an empty pattern: every line goes.
 */
public final class AccessLogSubscriptions extends Construct {
    /** The name of every filter this construct creates (a log group takes at most two filters). */
    public static final String FILTER_NAME = "sla-ledger-access-logs";

    private final IStream stream;
    private final Role role;
    private final List<String> sourceArns = new ArrayList<>();
    private int filters;
    private int groups;

    public AccessLogSubscriptions(Construct scope, String id, IStream stream) {
        super(scope, id);
        this.stream = stream;
        Stack stack = Stack.of(this);
        role = Role.Builder.create(this, "Role")
                .description("CloudWatch Logs puts subscribed API Gateway access logs on the request stream")
                .assumedBy(new ServicePrincipal("logs.amazonaws.com").withConditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
                        "ArnLike", Map.of("aws:SourceArn", Lazy.list(new IStableListProducer() {
                            @Override
                            public List<String> produce() {
                                return List.copyOf(sourceArns);
                            }
                        })))))
                .inlinePolicies(Map.of("PutOnRequestStream", PolicyDocument.Builder.create()
                        .statements(List.of(PolicyStatement.Builder.create()
                                .actions(List.of("kinesis:PutRecord", "kinesis:PutRecords"))
                                .resources(List.of(stream.getStreamArn()))
                                .build()))
                        .build()))
                .build();
    }

    /** The role CloudWatch Logs assumes. */
    public Role role() {
        return role;
    }

    /** Subscribes an existing log group, by name, to the request stream. */
    public CfnSubscriptionFilter subscribe(String logGroupName) {
        Stack stack = Stack.of(this);
        sourceArns.add(Arn.format(ArnComponents.builder().service("logs").resource("log-group")
                .resourceName(logGroupName + ":*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build(), stack));
        return CfnSubscriptionFilter.Builder.create(this, "Filter" + filters++)
                .logGroupName(logGroupName)
                .filterName(FILTER_NAME)
                .filterPattern("")
                .destinationArn(stream.getStreamArn())
                .roleArn(role.getRoleArn())
                .build();
    }

    /**
     * Turns the documented access-log format on for a REST API stage of this app (into a new log
     * group, kept {@code retention}) and subscribes that group. The REST API needs API Gateway's
     * account-level CloudWatch role (the CDK's {@code RestApi} creates it unless told not to).
     */
    public LogGroup enable(Stage restStage, String accountClaim, RetentionDays retention) {
        LogGroup group = accessLogGroup(retention);
        ((CfnStage) restStage.getNode().getDefaultChild()).setAccessLogSetting(CfnStage.AccessLogSettingProperty.builder()
                .destinationArn(group.getLogGroupArn())
                .format(AccessLogFormat.rest(accountClaim))
                .build());
        subscribe(group.getLogGroupName());
        return group;
    }

    /** The same for an HTTP API stage. */
    public LogGroup enable(IHttpStage httpStage, String accountClaim, RetentionDays retention) {
        LogGroup group = accessLogGroup(retention);
        ((software.amazon.awscdk.services.apigatewayv2.CfnStage) httpStage.getNode().getDefaultChild())
                .setAccessLogSettings(software.amazon.awscdk.services.apigatewayv2.CfnStage.AccessLogSettingsProperty
                        .builder()
                        .destinationArn(group.getLogGroupArn())
                        .format(AccessLogFormat.http(accountClaim))
                        .build());
        subscribe(group.getLogGroupName());
        return group;
    }

    private LogGroup accessLogGroup(RetentionDays retention) {
        return LogGroup.Builder.create(this, "AccessLogs" + groups++)
                .retention(retention)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }
}
