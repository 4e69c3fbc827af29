package dev.slaledger.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.accounts.dynamodb.AccountsTable;
import dev.slaledger.accounts.dynamodb.DynamoDbAccountRepository;
import dev.slaledger.accounts.event.BillingEventParser;
import dev.slaledger.accounts.event.InvalidBillingEventException;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.testkit.Engines;
import dev.slaledger.testkit.UsesEngines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The handler end to end on the JSON files of events/accounts/, against the DynamoDB of the {@code Engines} fixture. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@UsesEngines
class AccountsHandlerIT {

    private final DynamoDbClient dynamo = Engines.get().dynamoDbClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> logged = new ArrayList<>();
    private int tables;
    private String table;
    private AccountsHandler handler;
    private DynamoDbAccountRepository repo;

    @BeforeEach
    void freshTable() {
        table = "handler-accounts-" + (++tables);
        AccountsTable.create(dynamo, table);
        repo = new DynamoDbAccountRepository(dynamo, table);
        handler = new AccountsHandler(new BillingEventParser(), repo);
        logged.clear();
    }

    @AfterAll
    void stop() {
        dynamo.close();
    }

    private JsonNode invoke(InputStream event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(event, out, new TestContext());
        return json.readTree(out.toByteArray());
    }

    private JsonNode invoke(String file) throws Exception {
        try (InputStream in = EventFiles.open(file)) {
            return invoke(in);
        }
    }

    private List<Map<String, AttributeValue>> items() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build()).items().forEach(items::add);
        items.sort(java.util.Comparator.comparing((Map<String, AttributeValue> i) -> i.get("pk").s() + "|" + i.get("sk").s()));
        return items;
    }

    @Test
    @DisplayName("S4.2 the billing history of events/accounts/, delivered out of order and twice, ends in the same account")
    void historyOutOfOrderAndReplayed() throws Exception {
        JsonNode answer = invoke("fee-assessed-correction.json");
        assertThat(answer.get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(answer.get("entity").asText()).isEqualTo("fee acme/2026-03");
        assertThat(answer.get("storedVersion").asLong()).isEqualTo(2);
        assertThat(invoke("fee-assessed.json").get("outcome").asText()).isEqualTo("STALE");
        assertThat(invoke("fee-assessed.json").get("outcome").asText()).isEqualTo("STALE");
        assertThat(invoke("subscription-purchased.json").get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(invoke("subscription-purchased.json").get("outcome").asText()).isEqualTo("REPLAY");
        assertThat(invoke("contact-changed.json").get("outcome").asText()).isEqualTo("APPLIED");
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("\"outcome\":\"STALE\""));

        assertThat(repo.find("acme").orElseThrow().feeFor(YearMonth.of(2026, 3)))
                .contains(MonthlyFee.of("900.00", "100.00", "CNY"));
    }

    @Test
    @DisplayName("issue 4 item 4: every invalid event is refused by a thrown exception and writes nothing, on an empty or a filled table")
    void invalidEventsWriteNothing() throws Exception {
        List<String> invalid = EventFiles.list("invalid");
        assertThat(invalid).isNotEmpty();
        for (String file : invalid) {
            assertThatThrownBy(() -> invoke(file)).as(file).isInstanceOf(InvalidBillingEventException.class);
        }
        assertThat(items()).isEmpty();

        for (String file : EventFiles.list("")) {
            invoke(file);
        }
        List<Map<String, AttributeValue>> before = items();
        assertThat(before).isNotEmpty();
        for (String file : invalid) {
            assertThatThrownBy(() -> invoke(file)).as(file).isInstanceOf(InvalidBillingEventException.class)
                    .hasMessageContaining("refused");
        }
        assertThat(items()).isEqualTo(before);
        assertThat(logged).anySatisfy(l -> assertThat(l).contains("unknown detail-type InvoicePaid"));
    }

    @Test
    @DisplayName("a version conflict (same billing version, other content) fails the invocation and keeps the stored state")
    void conflictFailsInvocation() throws Exception {
        invoke("fee-assessed.json");
        List<Map<String, AttributeValue>> before = items();
        String changed = EventFiles.read("fee-assessed.json").replace("\"1000.00\"", "\"1200.00\"");
        assertThatThrownBy(() -> invoke(new ByteArrayInputStream(changed.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(ConflictingBillingEventException.class)
                .hasMessageContaining("already stored at billingVersion 1");
        assertThat(items()).isEqualTo(before);
    }

    private final class TestContext implements Context {
        @Override
        public String getAwsRequestId() {
            return "test-request";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/accounts";
        }

        @Override
        public String getLogStreamName() {
            return "test";
        }

        @Override
        public String getFunctionName() {
            return "accounts";
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:eu-west-1:123456789012:function:accounts";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    logged.add(message);
                }

                @Override
                public void log(byte[] message) {
                    logged.add(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
