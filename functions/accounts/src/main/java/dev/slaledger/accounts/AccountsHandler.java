package dev.slaledger.accounts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.core.billing.AccountRegistry;
import dev.slaledger.core.billing.ApplyResult;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.InvalidBillingEventException;
import dev.slaledger.core.usecase.StaleMarks;
import dev.slaledger.priming.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.List;

/**
 * Lambda entry point of the accounts function, invoked asynchronously by an EventBridge rule on
 * the billing system's events. Turns the event into a {@link BillingEvent}, applies it to the
 * registry, and answers what happened. An invalid event throws {@link InvalidBillingEventException}:
 * the invocation fails and the event goes to the on-failure destination with the reason.
 *
 * <p>After the event is stored (applied, or found already stored: a redelivery after a crash may
 * not have marked yet), the account-months it can change are marked stale (S7.1, {@link StaleMarks}):
 * a fee's month; every month a subscription's old or new term touches; every open month on a
 * contact change (it can change who was notified, S6.3). Only months whose claim window may be
 * open are marked. A late (older) version changes nothing and marks nothing.
 *
 * <p>Environment: {@code AWS_REGION} (set by Lambda), {@code ACCOUNTS_TABLE}, {@code LEDGER_TABLE}.
 */
public final class AccountsHandler implements RequestStreamHandler {

    private final BillingEventParser parser;
    private final AccountRegistry registry;
    private final StaleMarks staleMarks;
    private final ObjectMapper json = new ObjectMapper();

    /** Used by Lambda: the composition root builds the DynamoDB client once per execution environment. */
    public AccountsHandler() {
        this(AccountsWiring.fromEnvironment());
    }

    private AccountsHandler(AccountsWiring wiring) {
        this(new BillingEventParser(), wiring.registry(), wiring.staleMarks());
        Priming.register("accounts", wiring.priming());
    }

    public AccountsHandler(BillingEventParser parser, AccountRegistry registry, StaleMarks staleMarks) {
        this.parser = parser;
        this.registry = registry;
        this.staleMarks = staleMarks;
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
        List<YearMonth> marked = staleMarks.billingEventApplied(event, result); // S7.1, after storing
        ObjectNode answer = json.createObjectNode()
                .put("eventId", event.eventId())
                .put("detailType", event.detailType())
                .put("entity", event.entity())
                .put("billingVersion", event.billingVersion())
                .put("outcome", result.outcome().name())
                .put("storedVersion", result.storedVersion());
        com.fasterxml.jackson.databind.node.ArrayNode markedStale = answer.putArray("markedStale");
        marked.forEach(m -> markedStale.add(m.toString()));
        String line = json.writeValueAsString(answer);
        log(context, line);
        output.write(line.getBytes(StandardCharsets.UTF_8));
    }

    private static void log(Context context, String message) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(message + "\n");
        }
    }
}
