package dev.slaledger.adapter.ses;

import dev.slaledger.core.port.NoticeMailer;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MessageTag;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * Sends notices through SES v2 ({@code SendEmail}, simple content: subject, text and HTML in
 * UTF-8), in the configuration set whose event destination feeds bounces, complaints and sends
 * back to the SES events handler, with the attempt id as a message tag.
 *
 * <p>SES v2 has no idempotency token, so a request that is retried after it may have been
 * accepted can send a second mail. The client therefore retries (with exponential backoff and
 * jitter) only answers that prove the mail was not taken: throttling ({@code 429
 * TooManyRequests}), {@code 503}, and connections that were never opened. Everything else is
 * classified for the campaign: refused ({@link MailNotSent}) or unknown ({@link MailOutcomeUnknown}).
 */
public final class SesMailSender implements NoticeMailer {
    private final SesV2Client ses;
    private final String fromAddress;
    private final Optional<String> configurationSet;

    public SesMailSender(SesV2Client ses, String fromAddress, Optional<String> configurationSet) {
        this.ses = ses;
        this.fromAddress = fromAddress;
        this.configurationSet = configurationSet;
    }

    /** Attempts per send, the first included. */
    public static final int MAX_ATTEMPTS = 5;

    /** The retry policy the SES client must be built with (see the class comment). */
    public static RetryStrategy retryStrategy() {
        return retryStrategy(Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    /**
     * The same policy with other base delays (tests). Full-jitter exponential backoff: a
     * throttled send waits up to 1, 2, 4, 8 s (capped at 20 s) between its attempts.
     */
    public static RetryStrategy retryStrategy(Duration baseDelay, Duration throttlingBaseDelay) {
        return StandardRetryStrategy.builder()
                .maxAttempts(MAX_ATTEMPTS)
                .retryOnException(SesMailSender::provablyNotSent)
                .treatAsThrottling(SesMailSender::throttled)
                .backoffStrategy(BackoffStrategy.exponentialDelay(baseDelay, baseDelay.multipliedBy(25)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(throttlingBaseDelay,
                        throttlingBaseDelay.multipliedBy(20)))
                .circuitBreakerEnabled(false)
                // without this the client adds the SDK's default conditions (retry 5xx, I/O errors)
                .useClientDefaults(false)
                .build();
    }

    @Override
    public String send(Mail mail, Map<String, String> tags) {
        SendEmailRequest.Builder request = SendEmailRequest.builder()
                .fromEmailAddress(fromAddress)
                .destination(d -> d.toAddresses(mail.to()))
                .content(content -> content.simple(m -> m
                        .subject(utf8(mail.subject()))
                        .body(b -> b.text(utf8(mail.textBody())).html(utf8(mail.htmlBody())))))
                .emailTags(tags.entrySet().stream()
                        .map(t -> MessageTag.builder().name(t.getKey()).value(t.getValue()).build()).toList());
        configurationSet.ifPresent(request::configurationSetName);
        try {
            return ses.sendEmail(request.build()).messageId();
        } catch (SdkException e) {
            throw classify(e);
        }
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset(StandardCharsets.UTF_8.name()).build();
    }

    static RuntimeException classify(SdkException e) {
        if (e instanceof SdkServiceException s) {
            String what = "SES answered " + s.statusCode() + " " + errorCode(s) + ": " + s.getMessage();
            if (throttled(s)) {
                return new MailNotSent(what, MailNotSent.Reason.THROTTLED, e);
            }
            if (s.statusCode() >= 500 && s.statusCode() != 503) {
                return new MailOutcomeUnknown(what, e);
            }
            if (s.statusCode() == 503 || s instanceof SendingPausedException
                    || s instanceof AccountSuspendedException) {
                // the account may not send now: nothing wrong with this mail (S9.3: deferred, not used up)
                return new MailNotSent(what, MailNotSent.Reason.PAUSED, e);
            }
            return new MailNotSent(what, MailNotSent.Reason.REFUSED, e);
        }
        if (neverConnected(e)) {
            return new MailNotSent("SES unreachable: " + e.getMessage(), MailNotSent.Reason.PAUSED, e);
        }
        return new MailOutcomeUnknown("no answer from SES: " + e.getMessage(), e);
    }

    private static boolean provablyNotSent(Throwable t) {
        if (t instanceof SdkServiceException s) {
            return s instanceof TooManyRequestsException || s.isThrottlingException() || s.statusCode() == 503;
        }
        return t instanceof SdkClientException && neverConnected(t);
    }

    private static boolean throttled(Throwable t) {
        return t instanceof TooManyRequestsException || t instanceof LimitExceededException
                || (t instanceof SdkServiceException s && s.isThrottlingException());
    }

    private static boolean neverConnected(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException
                    || c instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    private static String errorCode(SdkServiceException s) {
        if (s instanceof software.amazon.awssdk.awscore.exception.AwsServiceException a
                && a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null) {
            return a.awsErrorDetails().errorCode();
        }
        return s.getClass().getSimpleName();
    }
}
