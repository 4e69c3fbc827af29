package dev.slaledger.infrastructure;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;

/**
 * The CDK app: {@code SlaLedger-<stage>-Data} (stateful) and {@code SlaLedger-<stage>-App}
 * (stateless), deployed to the account and region of the caller's credentials. Run by
 * {@code cdk} through {@code cdk.json}; parameters are context values (see {@link Parameters}).
 */
public final class SlaLedgerApp {
    private SlaLedgerApp() {
    }

    public static void main(String[] args) {
        int status = run(new App(), System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Builds and synthesizes the app; a parameter that is missing or malformed is one line on
     * {@code err} naming it and status 2 (no stack trace: `cdk synth` shows the app's output as is).
     */
    static int run(App app, java.io.PrintStream err) {
        try {
            build(app, Parameters.fromContext(app.getNode()), FunctionPackages.locate());
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.startsWith("context ") && !message.startsWith("missing context ")) {
                throw e; // not a parameter: a defect, with its stack trace
            }
            err.println("sla-ledger: " + message.replace('\n', ' '));
            return 2;
        }
        app.synth();
        return 0;
    }

    /** Both stacks, in the given app. */
    public static Stacks build(App app, Parameters parameters, FunctionPackages packages) {
        // The account and region of the credentials the CLI runs with (null when there are
        // none, e.g. in tests: the stacks are then environment-agnostic).
        Environment env = Environment.builder()
                .account(System.getenv("CDK_DEFAULT_ACCOUNT"))
                .region(System.getenv("CDK_DEFAULT_REGION"))
                .build();
        String prefix = "SlaLedger-" + parameters.stage();
        DataStack data = new DataStack(app, prefix + "-Data", StackProps.builder().env(env)
                .description("SLA Ledger (" + parameters.stage() + "): tables and the request stream; retained")
                .terminationProtection(false)
                .build());
        AppStack application = new AppStack(app, prefix + "-App", new AppStack.Props(
                StackProps.builder().env(env)
                        .description("SLA Ledger (" + parameters.stage() + "): functions, queues, schedules, API, mail")
                        .build(),
                parameters, data, packages));
        application.addStackDependency(data, "functions use the tables and the stream");
        // issue 21: subscription filters of the given access-log groups, only when some are given
        AccessLogParameters accessLogs = AccessLogParameters.fromContext(app.getNode());
        AccessLogStack accessLogStack = null;
        if (!accessLogs.logGroups().isEmpty()) {
            accessLogStack = new AccessLogStack(app, prefix + "-AccessLogs", StackProps.builder().env(env)
                    .description("SLA Ledger (" + parameters.stage() + "): API Gateway access logs to the request stream")
                    .build(), data.requestRecords(), accessLogs);
            accessLogStack.addDependency(data, "the filters put on the request stream");
        }
        // cdk-nag's AWS Solutions rules on every synth: an unacknowledged error stops it
        Aspects.of(app).add(new AwsSolutionsChecks());
        Tags.of(app).add("application", "sla-ledger");
        Tags.of(app).add("stage", parameters.stage());
        return new Stacks(data, application, java.util.Optional.ofNullable(accessLogStack));
    }

    /** The stacks of one stage: the access-log one only when {@code accessLogGroups} names groups. */
    public record Stacks(DataStack data, AppStack app, java.util.Optional<AccessLogStack> accessLogs) {
    }
}
