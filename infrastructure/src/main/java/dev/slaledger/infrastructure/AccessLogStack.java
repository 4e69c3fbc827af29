package dev.slaledger.infrastructure;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kinesis.IStream;
import software.constructs.Construct;

/**
 * Issue 21: {@code SlaLedger-<stage>-AccessLogs}, only when the context names access-log groups:
 * their subscription filters to the request stream ({@link AccessLogSubscriptions}). A stack of its
 * own so the groups can be added or removed without touching the data or the functions.
 */
public final class AccessLogStack extends Stack {
    private final AccessLogSubscriptions subscriptions;

    public AccessLogStack(Construct scope, String id, StackProps props, IStream requestStream,
            AccessLogParameters parameters) {
        super(scope, id, props);
        subscriptions = new AccessLogSubscriptions(this, "Subscriptions", requestStream);
        parameters.logGroups().forEach(subscriptions::subscribe);
    }

    public AccessLogSubscriptions subscriptions() {
        return subscriptions;
    }
}
