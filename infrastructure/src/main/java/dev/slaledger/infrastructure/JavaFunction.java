package dev.slaledger.infrastructure;

import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.IDestination;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.VersionOptions;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One Java function as every function of SLA Ledger runs: {@code java21} on arm64 (Graviton,
 * cheaper per GB-second), SnapStart on published versions, invoked only through its alias
 * {@code live} (SnapStart applies to versions, never to {@code $LATEST}), a log group kept
 * {@value #LOG_RETENTION_DAYS} days, and an execution role that starts with nothing but
 * writing to that log group: every other permission is granted by the stack, table by table.
 */
public final class JavaFunction extends Construct {
    static final String ALIAS = "live";
    static final int LOG_RETENTION_DAYS = 90;

    /**
     * @param handler     class (and method) Lambda calls
     * @param jar         the module's Lambda package
     * @param memoryMb    memory, which also sets the CPU share
     * @param onFailure   where asynchronous invocations go after their retries (null: not invoked asynchronously)
     */
    public record Spec(String description, String handler, Path jar, int memoryMb, Duration timeout,
            Map<String, String> environment, IDestination onFailure) {
    }

    private final Function function;
    private final Alias alias;
    private final Role role;
    private final LogGroup logs;

    /** A log group kept {@value #LOG_RETENTION_DAYS} days: each function's log and the API's access log. */
    static LogGroup logGroup(Construct scope, String id) {
        return LogGroup.Builder.create(scope, id)
                .retention(RetentionDays.THREE_MONTHS)
                .build();
    }

    public JavaFunction(Construct scope, String id, Spec spec) {
        super(scope, id);
        logs = logGroup(this, "Logs");
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs the " + id + " function")
                .build();
        logs.grantWrite(role);
        function = Function.Builder.create(this, "Function")
                .description(spec.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(spec.handler())
                .code(Code.fromAsset(spec.jar().toString()))
                .memorySize(spec.memoryMb())
                .timeout(spec.timeout())
                .environment(spec.environment())
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .role(role)
                .logGroup(logs)
                // the alias moves to the new version; old versions are deleted after a successful deploy
                .currentVersionOptions(VersionOptions.builder().removalPolicy(RemovalPolicy.DESTROY).build())
                .build();
        Nag.acknowledge(function, "AwsSolutions-L1", "java21 is the runtime this project targets: every module"
                + " compiles with --release 21 (README, ENVIRONMENT.md) and java21 is a supported Amazon Linux 2023"
                + " runtime with SnapStart. Moving to a newer Java runtime is a reviewed change of the whole build,"
                + " not a side effect of a synth rule.");
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "every invocation goes through the alias on the current published version, never $LATEST");
        Alias.Builder alias = Alias.Builder.create(this, "Live")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion());
        if (spec.onFailure() != null) {
            alias.onFailure(spec.onFailure()).retryAttempts(2).maxEventAge(Duration.hours(6));
        }
        this.alias = alias.build();
    }

    /**
     * Reserves {@code executions} of the account's concurrency for this function, which is also the
     * most it runs at once (issue 27: a month-end or a notice campaign cannot starve claims and ingest,
     * and the SQS mappings never invoke beyond what the function may take).
     */
    public JavaFunction reserveConcurrency(int executions) {
        ((software.amazon.awscdk.services.lambda.CfnFunction) function.getNode().getDefaultChild())
                .setReservedConcurrentExecutions(executions);
        return this;
    }

    /** The unqualified function (metrics over all versions). */
    public Function function() {
        return function;
    }

    /** What event sources, rules, schedules and routes invoke. */
    public Alias alias() {
        return alias;
    }

    public Role role() {
        return role;
    }

    /** The function's log group (metric filters of the alarms read it). */
    public LogGroup logGroup() {
        return logs;
    }
}
