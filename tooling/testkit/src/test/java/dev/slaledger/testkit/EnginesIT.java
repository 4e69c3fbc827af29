package dev.slaledger.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** What every integration test relies on, against whichever engines run: one round trip per service. */
@UsesEngines
class EnginesIT {
    private static Engines engines;

    @BeforeAll
    static void engines() {
        engines = Engines.get();
    }

    @Test
    @DisplayName("DynamoDB: a table created through the fixture's client keeps an item, read back consistently")
    void dynamoDb() {
        try (DynamoDbClient dynamo = engines.dynamoDbClient()) {
            dynamo.createTable(b -> b.tableName("EnginesIT").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
            dynamo.putItem(b -> b.tableName("EnginesIT").item(Map.of("pk", AttributeValue.fromS("a"),
                    "v", AttributeValue.fromN("1"))));
            assertThat(dynamo.getItem(b -> b.tableName("EnginesIT").key(Map.of("pk", AttributeValue.fromS("a")))
                    .consistentRead(true)).item()).containsEntry("v", AttributeValue.fromN("1"));
        }
    }

    @Test
    @DisplayName("DynamoDB over HTTP: a client built from dynamoDb() runs its execution interceptors on every call")
    void dynamoDbBuilderKeepsInterceptors() {
        AtomicInteger calls = new AtomicInteger();
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                calls.incrementAndGet();
            }
        };
        try (DynamoDbClient dynamo = engines.dynamoDb()
                .overrideConfiguration(c -> c.addExecutionInterceptor(counter)).build()) {
            dynamo.createTable(b -> b.tableName("EnginesHttpIT").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
            dynamo.putItem(b -> b.tableName("EnginesHttpIT").item(Map.of("pk", AttributeValue.fromS("a"))));
            assertThat(dynamo.getItem(b -> b.tableName("EnginesHttpIT").key(Map.of("pk", AttributeValue.fromS("a")))
                    .consistentRead(true)).hasItem()).isTrue();
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    @DisplayName("SQS: a message sent to a queue is received once")
    void sqs() {
        try (SqsClient sqs = engines.sqs().build()) {
            String url = sqs.createQueue(b -> b.queueName("engines-it")).queueUrl();
            sqs.sendMessage(b -> b.queueUrl(url).messageBody("hello"));
            assertThat(sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)).messages())
                    .extracting(m -> m.body()).containsExactly("hello");
        }
    }

    @Test
    @DisplayName("SES v2: a sent email is in the mailbox in the emulator's shape; clear() empties it")
    void ses() {
        Mailbox mailbox = engines.mailbox();
        mailbox.allowSender("from@provider.example", "engines-it");
        mailbox.clear();
        try (SesV2Client ses = engines.sesV2().build()) {
            String id = ses.sendEmail(b -> b.fromEmailAddress("from@provider.example").configurationSetName("engines-it")
                    .destination(d -> d.toAddresses("to@customer.example"))
                    .content(c -> c.simple(m -> m.subject(s -> s.data("Hello"))
                            .body(body -> body.text(t -> t.data("text")).html(h -> h.data("<p>html</p>"))))))
                    .messageId();

            List<JsonNode> emails = mailbox.emails();
            assertThat(emails).hasSize(1);
            JsonNode mail = emails.get(0);
            assertThat(mail.path("messageId").asText()).isEqualTo(id);
            assertThat(mail.path("from").asText()).isEqualTo("from@provider.example");
            assertThat(mail.path("destination").path("to").get(0).asText()).isEqualTo("to@customer.example");
            assertThat(mail.path("subject").asText()).isEqualTo("Hello");
            assertThat(mail.path("body").path("text").asText()).isEqualTo("text");
            assertThat(mail.path("body").path("html").asText()).isEqualTo("<p>html</p>");
        }
        mailbox.clear();
        assertThat(mailbox.emails()).isEmpty();
    }
}
