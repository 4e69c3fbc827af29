package dev.slaledger.core.billing;



/**
 * A billing event refused as a whole (issue 4, item 4): nothing of it is written. Thrown out of the
 * handler so the asynchronous invocation fails and the event lands in the function's on-failure
 * destination, with this message naming the event, the field and the reason.
 */
public class InvalidBillingEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String eventId;
    private final String field;
    private final String reason;

    public InvalidBillingEventException(String eventId, String field, String reason) {
        super("billing event " + (eventId == null ? "(no id)" : eventId) + " refused: "
                + (field == null ? "" : field + ": ") + reason);
        this.eventId = eventId;
        this.field = field;
        this.reason = reason;
    }

    /** The envelope id, or null when the envelope had none. */
    public String eventId() {
        return eventId;
    }

    /** The offending field as a JSON path ({@code detail.amount}), or null for the whole event. */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
