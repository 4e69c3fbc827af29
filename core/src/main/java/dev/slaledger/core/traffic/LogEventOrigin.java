package dev.slaledger.core.traffic;

import java.util.Objects;

/**
 * Where a request record came from when its stream record was a CloudWatch Logs subscription
 * payload (issue 21): one log event of it, named the way CloudWatch names it. A quarantined log
 * event keeps this, so an operator can find the line in the log group.
 *
 * @param logGroup  the log group of the payload ({@code logGroup})
 * @param logStream the log stream of the payload ({@code logStream})
 * @param eventId   the log event's {@code id}: unique within the payload, and the part of the
 *                  quarantine key that tells the events of one stream record apart
 */
public record LogEventOrigin(String logGroup, String logStream, String eventId) {
    public LogEventOrigin {
        Objects.requireNonNull(logGroup, "logGroup");
        Objects.requireNonNull(logStream, "logStream");
        Objects.requireNonNull(eventId, "eventId");
    }
}
