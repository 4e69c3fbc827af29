package dev.slaledger.benchmarks.rehearsal.model;

/**
 * One modeled request to an AWS service, as the bill and the latency model see it.
 *
 * @param service    the service
 * @param operation  the API operation ({@code Query}, {@code SendMessageBatch}, ...)
 * @param resource   the table or queue it addresses ({@code ledger}, {@code accounts}, ...)
 * @param readUnits  DynamoDB read request units it consumes
 * @param writeUnits DynamoDB write request units it consumes (index writes included)
 * @param entries    messages or events it carries (SQS, EventBridge, SES)
 * @param bytes      bytes it reads or writes (the latency of a large Query page grows with it)
 */
public record Request(Service service, String operation, String resource, double readUnits, double writeUnits,
        int entries, long bytes) {
    public enum Service {
        DYNAMODB, SQS, SES, EVENTBRIDGE
    }

    public static Request dynamo(String operation, String table, double readUnits, double writeUnits, long bytes) {
        return new Request(Service.DYNAMODB, operation, table, readUnits, writeUnits, 0, bytes);
    }

    public static Request sqs(String operation, String queue, int entries) {
        return new Request(Service.SQS, operation, queue, 0, 0, entries, 0);
    }

    public static Request ses(String operation, int entries) {
        return new Request(Service.SES, operation, "ses", 0, 0, entries, 0);
    }

    public static Request events(String operation, int entries) {
        return new Request(Service.EVENTBRIDGE, operation, "bus", 0, 0, entries, 0);
    }

    /** The key a report groups requests by: {@code DynamoDB Query ledger}. */
    public String kind() {
        return switch (service) {
            case DYNAMODB -> "DynamoDB " + operation + " " + resource;
            case SQS -> "SQS " + operation + " " + resource;
            case SES -> "SES " + operation;
            case EVENTBRIDGE -> "EventBridge " + operation;
        };
    }
}
