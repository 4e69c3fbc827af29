package dev.slaledger.benchmarks.rehearsal.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.adapter.ses.SesMailSender;
import dev.slaledger.benchmarks.rehearsal.model.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.GetAccountRequest;
import software.amazon.awssdk.services.sesv2.model.GetAccountResponse;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendEmailResponse;
import software.amazon.awssdk.services.sesv2.model.SendQuota;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * The SES v2 account as the rehearsal models it: {@code SendEmail} and {@code GetAccount} on a
 * sending quota (a maximum send rate, default 14 per second, enforced strictly: never more accepted
 * in any sliding second; and a maximum per rolling 24 hours, default 50,000), answering
 * {@code TooManyRequestsException} (429) beyond either. The client the notifier is built with retries
 * throttled sends itself ({@link SesMailSender#retryStrategy()}: {@value SesMailSender#MAX_ATTEMPTS}
 * attempts, full-jitter exponential backoff from 1 s, at most 20 s); this client does the same on the
 * simulated clock, each attempt one request. Every accepted mail is counted per recipient and
 * subject (a notice sent twice shows), and its SES events ({@code Email Sent}, and
 * {@code Email Bounced} for addresses {@code bounces} selects) reach the feedback queue as the
 * EventBridge rule delivers them, a few seconds later.
 */
public final class SimSes implements SesV2Client {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FEEDBACK_DELAY = Duration.ofSeconds(3);

    private final Aws aws;
    private final double maxSendRate;
    private final long max24HourSend;
    private final SimQueue feedback;
    private final Predicate<String> bounces;
    private final ArrayDeque<Instant> last24Hours = new ArrayDeque<>();
    private final Map<String, Integer> sends = new HashMap<>();
    private long accepted;
    private long throttled;
    private long maxInAnySecond;
    private Instant lastAccepted;
    private final ArrayDeque<Instant> lastSecond = new ArrayDeque<>();

    public SimSes(Aws aws, double maxSendRate, long max24HourSend, SimQueue feedback, Predicate<String> bounces) {
        this.aws = aws;
        this.maxSendRate = maxSendRate;
        this.max24HourSend = max24HourSend;
        this.feedback = feedback;
        this.bounces = bounces;
    }

    @Override
    public SendEmailResponse sendEmail(SendEmailRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return aws.call(Request.ses("SendEmail", 1), () -> accept(request));
            } catch (TooManyRequestsException e) {
                throttled++;
                if (attempt == SesMailSender.MAX_ATTEMPTS) {
                    throw e;
                }
                double capMillis = Math.min(20_000, 1_000L << (attempt - 1));
                aws.sim().sleep(Duration.ofMillis((long) (aws.faults().nextDouble() * capMillis)));
            }
        }
    }

    private SendEmailResponse accept(SendEmailRequest request) {
        Instant now = aws.sim().now();
        while (!last24Hours.isEmpty() && !last24Hours.peekFirst().isAfter(now.minus(Duration.ofHours(24)))) {
            last24Hours.pollFirst();
        }
        if (last24Hours.size() >= max24HourSend) {
            throw throttle("Daily message quota exceeded.");
        }
        while (!lastSecond.isEmpty() && !lastSecond.peekFirst().isAfter(now.minusSeconds(1))) {
            lastSecond.pollFirst();
        }
        if (lastSecond.size() >= Math.max(1, (long) Math.floor(maxSendRate))) {
            throw throttle("Maximum sending rate exceeded.");
        }
        last24Hours.addLast(now);
        lastSecond.addLast(now);
        maxInAnySecond = Math.max(maxInAnySecond, lastSecond.size());
        accepted++;
        lastAccepted = now;
        String to = request.destination().toAddresses().get(0);
        String subject = request.content().simple().subject().data();
        sends.merge(to + " | " + subject, 1, Integer::sum);
        String messageId = String.format("0102%016x-rehearsal-%08d", now.toEpochMilli(), accepted);
        String attempt = request.emailTags().stream().filter(t -> !t.name().startsWith("ses:")).findFirst()
                .map(MessageTag::value).orElse(null);
        String job = aws.job();
        aws.sim().after(FEEDBACK_DELAY, () -> feedback.put(event("ses-email-sent.json", messageId, to, attempt, now),
                "ses-feedback"));
        if (bounces.test(to)) {
            aws.sim().after(FEEDBACK_DELAY.plusSeconds(2), () -> feedback.put(
                    event("ses-email-bounced-permanent.json", messageId, to, attempt, now), "ses-feedback"));
        }
        aws.meter().job(job).add("mails accepted by SES", 1);
        return SendEmailResponse.builder().messageId(messageId).build();
    }

    private static TooManyRequestsException throttle(String message) {
        return (TooManyRequestsException) TooManyRequestsException.builder().message(message).statusCode(429)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TooManyRequestsException").errorMessage(message)
                        .serviceName("SESv2").build())
                .build();
    }

    @Override
    public GetAccountResponse getAccount(GetAccountRequest request) {
        return aws.call(Request.ses("GetAccount", 0), () -> {
            Instant now = aws.sim().now();
            long sentLast24 = last24Hours.stream().filter(t -> t.isAfter(now.minus(Duration.ofHours(24)))).count();
            return GetAccountResponse.builder().productionAccessEnabled(true).sendingEnabled(true)
                    .sendQuota(SendQuota.builder().maxSendRate(maxSendRate).max24HourSend((double) max24HourSend)
                            .sentLast24Hours((double) sentLast24).build())
                    .build();
        });
    }

    /** An SES event as the EventBridge rule puts it on the feedback queue, from the real sample files. */
    private static String event(String sample, String messageId, String to, String attempt, Instant at) {
        try (InputStream in = SimSes.class.getResourceAsStream("/dev/slaledger/benchmarks/rehearsal/events/" + sample)) {
            if (in == null) {
                throw new IllegalStateException("sample SES event " + sample + " is not on the class path (events/notifier)");
            }
            ObjectNode e = (ObjectNode) JSON.readTree(in);
            e.put("time", at.toString());
            ObjectNode mail = (ObjectNode) e.path("detail").path("mail");
            mail.put("messageId", messageId);
            mail.put("timestamp", at.toString());
            ArrayNode destination = mail.putArray("destination");
            destination.add(to);
            ObjectNode tags = (ObjectNode) mail.path("tags");
            tags.remove("sla-notice-attempt");
            if (attempt != null) {
                tags.putArray("sla-notice-attempt").add(attempt);
            }
            if (e.path("detail").has("bounce")) {
                ((ArrayNode) e.path("detail").path("bounce").path("bouncedRecipients")).forEach(r -> ((ObjectNode) r)
                        .put("emailAddress", to));
            }
            return e.toString();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** Mails accepted per recipient and subject: a value above 1 is a notice sent twice. */
    public Map<String, Integer> sends() {
        return Map.copyOf(sends);
    }

    public long sentTwice() {
        return sends.values().stream().filter(n -> n > 1).count();
    }

    public long accepted() {
        return accepted;
    }

    /** When SES accepted the last mail (null before the first). */
    public Instant lastAccepted() {
        return lastAccepted;
    }

    public long throttled() {
        return throttled;
    }

    /** The most mails SES accepted in any one second (never above the maximum send rate). */
    public long maxInAnySecond() {
        return maxInAnySecond;
    }

    public double maxSendRate() {
        return maxSendRate;
    }

    public long max24HourSend() {
        return max24HourSend;
    }

    @Override
    public String serviceName() {
        return "ses";
    }

    @Override
    public void close() {
    }
}
