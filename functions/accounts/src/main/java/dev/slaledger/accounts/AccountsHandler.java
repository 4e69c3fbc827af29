package dev.slaledger.accounts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.accounts.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.accounts.event.BillingEvent;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.accounts.event.InvalidBillingEventException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda entry point of the accounts function, invoked asynchronously by an EventBridge rule on
 * the billing system's events. Turns the event into a {@link BillingEvent}, applies it to the
 * registry, and answers what happened. An invalid event throws {@link InvalidBillingEventException}:
 * the invocation fails and the event goes to the on-failure destination with the reason.
 *
 * <p>Environment: {@code AWS_REGION} (set by Lambda), {@code ACCOUNTS_TABLE}.
 */
public final class AccountsHandler implements RequestStreamHandler {

    private final BillingEventParser parser;
    private final AccountRegistry registry;
    private final ObjectMapper json = new ObjectMapper();

    /** Used by Lambda: builds the DynamoDB client once per execution environment. */
    public AccountsHandler() {
        this(new BillingEventParser(), new DynamoDbAccountRepository(
                DynamoDbClient.builder()
                        .region(Region.of(requiredEnv("AWS_REGION")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build(),
                requiredEnv("ACCOUNTS_TABLE")));
    }

    public AccountsHandler(BillingEventParser parser, AccountRegistry registry) {
        this.parser = parser;
        this.registry = registry;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        BillingEvent event;
        ApplyResult result;
        try {
            event = parser.parse(input);
            result = registry.apply(event);
        } catch (InvalidBillingEventException e) {
            log(context, e.getMessage());
            throw e;
        }
        ObjectNode answer = json.createObjectNode()
                .put("eventId", event.eventId())
                .put("detailType", event.detailType())
                .put("entity", event.entity())
                .put("billingVersion", event.billingVersion())
                .put("outcome", result.outcome().name())
                .put("storedVersion", result.storedVersion());
        String line = json.writeValueAsString(answer);
        log(context, line);
        output.write(line.getBytes(StandardCharsets.UTF_8));
    }

    private static void log(Context context, String message) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(message + "\n");
        }
    }

    private static String requiredEnv(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }
}
