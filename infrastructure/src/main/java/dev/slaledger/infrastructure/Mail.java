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
    static final Duration FEEDBACK_VISIBILITY = FunctionSettings.queue("mail-feedback").visibilityTimeout();
    /** Receives of a feedback message before it goes to the alarmed dead-letter queue (deployment.json). */
    static final int FEEDBACK_MAX_RECEIVES = FunctionSettings.queue("mail-feedback").maxReceiveCount();

    private final ConfigurationSet configurationSet;
    private final Queue feedback;
    private final String sender;
    private final String senderDomain;

    public Mail(Construct scope, String id, Parameters parameters, Monitoring monitoring) {
        super(scope, id);
        sender = parameters.sesSender();
        senderDomain = parameters.sesSenderDomain();
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

        feedback = monitoring.workQueue(this, "Feedback", FEEDBACK_VISIBILITY, FEEDBACK_MAX_RECEIVES,
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
     * Allows {@code ses:SendEmail} from the sender address (verified as itself or through its
     * domain) with this configuration set, and nothing else.
     */
    public void grantSend(IGrantable grantee) {
        Stack stack = Stack.of(this);
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ses:SendEmail"))
                .resources(List.of(
                        arn(stack, "identity", sender),
                        arn(stack, "identity", senderDomain),
                        arn(stack, "configuration-set", configurationSet.getConfigurationSetName())))
                .build());
    }

    private static String arn(Stack stack, String resource, String name) {
        return stack.formatArn(ArnComponents.builder()
                .service("ses").resource(resource).resourceName(name)
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }
}
