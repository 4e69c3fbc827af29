package dev.slaledger.adapter.dynamodb;

import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * Which DynamoDB failures retrying cannot fix (S7.5). A write the table refuses because of what
 * is in it (a ValidationException: an item over 400 KB, a partition key over 2,048 bytes, a sort
 * key over 1,024, an invalid attribute value; or HTTP 413, a request too large) fails the same
 * way on every retry: the records behind it go to the quarantine instead of being redelivered
 * forever. Everything else is transient or an operator's to fix (throttling, 5xx, timeouts and
 * network errors, a missing table, missing permissions): the records are redelivered, and the
 * Failed metric's alarm tells an operator.
 */
final class DynamoDbRefusals {
    private DynamoDbRefusals() {
    }

    static boolean isPermanent(SdkException e) {
        if (!(e instanceof DynamoDbException d)) {
            return false;
        }
        return "ValidationException".equals(errorCode(d)) || d.statusCode() == 413;
    }

    /**
     * A quarantine detail for a permanent refusal: the error code and what it is about, in words
     * of our own. DynamoDB's message is not copied: it may quote a value from the request.
     */
    static String describe(DynamoDbException e) {
        String code = errorCode(e);
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null ? ""
                : e.awsErrorDetails().errorMessage().toLowerCase(Locale.ROOT);
        String what;
        if (message.contains("item size") || message.contains("item collection") || e.statusCode() == 413) {
            what = "item too large";
        } else if (message.contains("key") && (message.contains("size") || message.contains("length"))) {
            what = "key over DynamoDB's size limit";
        } else {
            what = "invalid request";
        }
        return "refused by the table: " + (code == null ? "HTTP " + e.statusCode() : code) + " (" + what + ")";
    }

    private static String errorCode(DynamoDbException e) {
        AwsErrorDetails details = e.awsErrorDetails();
        return details == null ? null : details.errorCode();
    }
}
