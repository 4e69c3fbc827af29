package dev.slaledger.accounts;

import dev.slaledger.lambda.EnvNames;
import dev.slaledger.lambda.Env;
import dev.slaledger.lambda.AwsClients;
import dev.slaledger.core.billing.AccountRegistry;
import dev.slaledger.core.billing.ApplyResult;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.adapter.dynamodb.AccountsTable;
import dev.slaledger.adapter.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.adapter.dynamodb.DynamoDbStatementRepository;
import dev.slaledger.adapter.dynamodb.DynamoDbTermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.usecase.StaleMarks;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.core.billing.InvalidBillingEventException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import dev.slaledger.priming.CannedClients;
import dev.slaledger.priming.MissingItemRead;
import dev.slaledger.priming.Priming;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
    /** The SnapStart hook; held here because the CRaC context holds it weakly. Null in tests. */
    @SuppressWarnings("unused")
    private final Priming priming;

    /** Used by Lambda: builds the DynamoDB client once per execution environment. */
    public AccountsHandler() {
        this(Env.system().region(), Env.system().required(EnvNames.ACCOUNTS_TABLE),
                Env.system().required(EnvNames.LEDGER_TABLE));
    }

    private AccountsHandler(Region region, String table, String ledger) {
        this(region, table, ledger, AwsClients.build(DynamoDbClient.builder(), region));
    }

    private AccountsHandler(Region region, String table, String ledger, DynamoDbClient dynamo) {
        this(new BillingEventParser(), new DynamoDbAccountRepository(dynamo, table), staleMarks(dynamo, ledger),
                Priming.register("accounts", priming(region, table, ledger, dynamo)));
    }

    public AccountsHandler(BillingEventParser parser, AccountRegistry registry, StaleMarks staleMarks) {
        this(parser, registry, staleMarks, null);
    }

    private AccountsHandler(BillingEventParser parser, AccountRegistry registry, StaleMarks staleMarks,
            Priming priming) {
        this.parser = parser;
        this.registry = registry;
        this.staleMarks = staleMarks;
        this.priming = priming;
    }

    /** The S7.1 marking policy on the Ledger table (stale marks, published terms). */
    public static StaleMarks staleMarks(DynamoDbClient dynamo, String ledger) {
        return new StaleMarks(new DynamoDbStatementRepository(dynamo, ledger),
                new DynamoDbTermsRepository(dynamo, ledger, DefaultTerms.version()), Clock.systemUTC());
    }

    /**
     * SnapStart priming (issue 11 item 3): the bundled copy of events/accounts/subscription-purchased.json
     * through the whole handler on a DynamoDB client that answers from memory (event parsing and
     * validation, the versioned conditional write's marshalling, the JSON answer); then a read of an
     * accounts key that cannot exist through the real client. Nothing is written anywhere.
     */
    static Priming.Step[] priming(Region region, String table, String ledger, DynamoDbClient dynamo) {
        return new Priming.Step[] {
            Priming.step("sample billing event on canned DynamoDB", () -> {
                DynamoDbClient cannedDynamo = CannedClients.build(DynamoDbClient.builder(), region);
                AccountsHandler canned = new AccountsHandler(new BillingEventParser(),
                        new DynamoDbAccountRepository(cannedDynamo, table), staleMarks(cannedDynamo, ledger));
                try (InputStream in = AccountsHandler.class.getResourceAsStream(SAMPLE_EVENT)) {
                    if (in == null) {
                        throw new IllegalStateException(SAMPLE_EVENT + " is not in the package");
                    }
                    canned.handleRequest(in, OutputStream.nullOutputStream(), null);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }),
            MissingItemRead.step(dynamo, table, AccountsTable.PK, AccountsTable.SK)
        };
    }

    /** Copied from events/accounts at build time (pom.xml, resources). */
    static final String SAMPLE_EVENT = "/dev/slaledger/accounts/priming/subscription-purchased.json";

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
