package dev.slaledger.notifier.notice;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An SES sending event (configuration-set event publishing), as SES publishes it to EventBridge
 * (source {@code aws.ses}, detail-type e.g. {@code Email Bounced}, the record in {@code detail}) or
 * to SNS (the record as the JSON string {@code Message} of each SNS record).
 *
 * @param eventType  {@code Send}, {@code Delivery}, {@code Bounce}, {@code Complaint}, ...
 * @param bounceType {@code Permanent}, {@code Transient} or {@code Undetermined} (Bounce only)
 * @param recipients the bounced or complained recipients (Bounce, Complaint), else the destination
 */
public record SesEvent(String eventType, String messageId, Instant mailTimestamp, Map<String, List<String>> tags,
        Optional<String> bounceType, Optional<String> subType, List<String> recipients) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Optional<String> tag(String name) {
        List<String> values = tags.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The SES records in an EventBridge event, an SNS Lambda event, or a bare SES record. */
    public static List<SesEvent> parseAll(JsonNode root) {
        List<SesEvent> out = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not an SES event: expected a JSON object");
        }
        if (root.has("detail") && root.has("detail-type")) {
            out.add(parse(root.get("detail")));
        } else if (root.has("Records")) {
            for (JsonNode record : root.get("Records")) {
                JsonNode message = record.path("Sns").path("Message");
                if (!message.isTextual()) {
                    throw new IllegalArgumentException("SNS record without a Message string");
                }
                try {
                    out.add(parse(JSON.readTree(message.asText())));
                } catch (IOException e) {
                    throw new IllegalArgumentException("SNS Message is not JSON: " + e.getMessage(), e);
                }
            }
        } else {
            out.add(parse(root));
        }
        return out;
    }

    /** One SES event record ({@code eventType}; {@code notificationType} for identity notifications). */
    public static SesEvent parse(JsonNode ses) {
        String type = ses.hasNonNull("eventType") ? ses.get("eventType").asText()
                : ses.path("notificationType").asText("");
        if (type.isEmpty()) {
            throw new IllegalArgumentException("not an SES event record: no eventType");
        }
        JsonNode mail = ses.path("mail");
        String messageId = mail.path("messageId").asText("");
        if (messageId.isEmpty()) {
            throw new IllegalArgumentException("SES " + type + " event without mail.messageId");
        }
        Instant timestamp;
        try {
            timestamp = Instant.parse(mail.path("timestamp").asText(""));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("SES " + type + " event with a bad mail.timestamp", e);
        }
        Map<String, List<String>> tags = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = mail.path("tags").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> tag = it.next();
            List<String> values = new ArrayList<>();
            tag.getValue().forEach(v -> values.add(v.asText()));
            tags.put(tag.getKey(), values);
        }
        Optional<String> bounceType = Optional.empty();
        Optional<String> subType = Optional.empty();
        List<String> recipients = new ArrayList<>();
        switch (type) {
            case "Bounce" -> {
                JsonNode bounce = ses.path("bounce");
                bounceType = Optional.of(bounce.path("bounceType").asText("Undetermined"));
                subType = Optional.of(bounce.path("bounceSubType").asText("Undetermined"));
                bounce.path("bouncedRecipients").forEach(r -> recipients.add(r.path("emailAddress").asText()));
            }
            case "Complaint" -> {
                JsonNode complaint = ses.path("complaint");
                subType = Optional.of(complaint.path("complaintFeedbackType").asText("unspecified"));
                complaint.path("complainedRecipients").forEach(r -> recipients.add(r.path("emailAddress").asText()));
            }
            default -> mail.path("destination").forEach(d -> recipients.add(d.asText()));
        }
        recipients.removeIf(String::isBlank);
        return new SesEvent(type, messageId, timestamp, tags, bounceType, subType, List.copyOf(recipients));
    }
}
