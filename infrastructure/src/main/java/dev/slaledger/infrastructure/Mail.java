package dev.slaledger.infrastructure;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.ses.ConfigurationSet;
import software.amazon.awscdk.services.ses.ConfigurationSetEventDestinationOptions;
import software.amazon.awscdk.services.ses.ConfigurationSetTlsPolicy;
import software.amazon.awscdk.services.ses.EmailSendingEvent;
import software.amazon.awscdk.services.ses.EventDestination;
import software.amazon.awscdk.services.ses.SuppressionReasons;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * Notice mail (S6.2, S6.4). Notices are sent through an SES configuration set that requires
 * TLS, suppresses addresses that bounced or complained, and publishes bounces, complaints,
 * rejections, rendering failures and sends to EventBridge. SES can publish only to the account's
 * default bus; a rule there keeps this configuration set's sends, bounces and complaints in a
 * queue, where the notifier reads them to record hard bounces against the contact and to close
 * a reservation whose run died after the send (S6.4).
 *
 * <p>The sender identity (the address in {@code sesSender}, or its domain) is verified in SES
 * outside this app: an identity is one per account and region, and verifying a domain needs DNS.
 */
public final class Mail extends Construct {
    /**
     * The EventBridge detail-types the notifier's SES events handler applies (docs/notices.md):
     * bounces and complaints, and the send event that completes a reservation whose run died
     * between SES accepting the mail and recording it.
     */
    static final List<String> FEEDBACK_DETAIL_TYPES = List.of("Email Sent", "Email Bounced",
            "Email Complaint Received");

    /** Visibility timeout of the feedback queue: 6 x the timeout of the function that reads it. */
    static final Duration FEEDBACK_VISIBILITY = Duration.minutes(6);

    private final ConfigurationSet configurationSet;
    private final Queue feedback;
    private final String sender;

    public Mail(Construct scope, String id, Parameters parameters, Monitoring monitoring) {
        super(scope, id);
        sender = parameters.sesSender();
        configurationSet = ConfigurationSet.Builder.create(this, "ConfigurationSet")
                .tlsPolicy(ConfigurationSetTlsPolicy.REQUIRE)
                .reputationMetrics(true)
                .suppressionReasons(SuppressionReasons.BOUNCES_AND_COMPLAINTS)
                .build();
        IEventBus defaultBus = EventBus.fromEventBusName(this, "DefaultBus", "default");
        configurationSet.addEventDestination("ToEventBridge", ConfigurationSetEventDestinationOptions.builder()
                .destination(EventDestination.eventBus(defaultBus))
                .events(List.of(EmailSendingEvent.SEND, EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT,
                        EmailSendingEvent.REJECT, EmailSendingEvent.RENDERING_FAILURE))
                .build());

        feedback = monitoring.workQueue(this, "Feedback", FEEDBACK_VISIBILITY, 5,
                "Sends, bounces and complaints the notifier could not record");
        Rule.Builder.create(this, "FeedbackRule")
                .description("Sends, bounces and complaints of the SLA Ledger notices, to the feedback queue")
                .eventBus(defaultBus)
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.ses"))
                        .detailType(FEEDBACK_DETAIL_TYPES)
                        .detail(Map.of("mail", Map.of("tags",
                                Map.of("ses:configuration-set", List.of(configurationSet.getConfigurationSetName())))))
                        .build())
                .targets(List.of(SqsQueue.Builder.create(feedback)
                        .deadLetterQueue(monitoring.deadLetterQueue(this, "FeedbackUndelivered",
                                "Bounce and complaint events EventBridge could not put in the feedback queue"))
                        .build()))
                .build();
    }

    public String configurationSetName() {
        return configurationSet.getConfigurationSetName();
    }

    /** The queue of send, bounce and complaint events, for the SES events function's event source. */
    public Queue feedbackQueue() {
        return feedback;
    }

    public String sender() {
        return sender;
    }

    /**
     * Allows {@code ses:SendEmail} from the sender address with this configuration set, and nothing
     * else: on the address's identity and on each domain it is under (SES authorizes the identity
     * that is verified, which may be the address, its domain or a parent domain:
     * {@code notices@mail.provider.example} is sent under {@code provider.example} when only that is
     * verified), and, for a stage in the SES sandbox, on the verified recipient identities named in
     * {@code sesSandboxRecipients} (SES authorizes the recipient there too; docs/operations.md).
     */
    public void grantSend(IGrantable grantee) {
        Stack stack = Stack.of(this);
        List<String> resources = new java.util.ArrayList<>();
        for (String identity : senderIdentities(sender)) {
            resources.add(arn(stack, "identity", identity));
        }
        for (String recipient : SesParameters.fromContext(getNode()).sandboxRecipients()) {
            resources.add(arn(stack, "identity", recipient));
        }
        resources.add(arn(stack, "configuration-set", configurationSet.getConfigurationSetName()));
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ses:SendEmail"))
                .resources(resources)
                .build());
    }

    /** The address and every domain it is under with at least two labels: what SES may send it as. */
    static List<String> senderIdentities(String address) {
        List<String> out = new java.util.ArrayList<>(List.of(address));
        String domain = address.substring(address.indexOf('@') + 1);
        while (domain.contains(".")) {
            out.add(domain);
            domain = domain.substring(domain.indexOf('.') + 1);
        }
        return out;
    }

    /**
     * Alarms when SES refuses the notifier's sends for authorization or verification twice within an
     * hour (docs/operations.md "SesSendRefused"): the IAM grant does not cover the verified identity,
     * or the account is still in the SES sandbox (recipient not verified). The notifier retries such
     * notices every day, so without this they would fail quietly.
     */
    public void alarmOnRefusedSends(Construct scope, Monitoring monitoring, software.amazon.awscdk.services.logs.ILogGroup notifierLogs) {
        software.amazon.awscdk.services.logs.MetricFilter.Builder.create(scope, "SesSendRefusedFilter")
                .logGroup(notifierLogs)
                .filterPattern(software.amazon.awscdk.services.logs.FilterPattern.anyTerm(
                        "AccessDenied", "not authorized to perform", "Email address is not verified"))
                .metricNamespace(REFUSED_NAMESPACE)
                .metricName(REFUSED_METRIC)
                .metricValue("1")
                .defaultValue(0)
                .build();
        monitoring.countAtLeast(scope, "SesSendRefused", REFUSED_NAMESPACE, REFUSED_METRIC, 2, Duration.hours(1),
                "SES refused notice sends for authorization or an unverified identity (sandbox?)");
    }

    static final String REFUSED_NAMESPACE = "SlaLedger/Notices";
    static final String REFUSED_METRIC = "SesSendRefused";

    /**
     * Allows {@code ses:GetAccount} (the sending quota, S9.3): an account-level action, so its
     * resource is {@code *}.
     */
    public void grantReadQuota(IGrantable grantee) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ses:GetAccount"))
                .resources(List.of("*"))
                .build());
        if (grantee instanceof software.constructs.IConstruct construct) {
            Nag.acknowledge(construct, "AwsSolutions-IAM5", "ses:GetAccount reads the account's sending quota"
                    + " (S9.3); SES defines no resource for it, so its policy resource is *", List.of("Resource::*"));
        }
    }

    private static String arn(Stack stack, String resource, String name) {
        return stack.formatArn(ArnComponents.builder()
                .service("ses").resource(resource).resourceName(name)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }
}
