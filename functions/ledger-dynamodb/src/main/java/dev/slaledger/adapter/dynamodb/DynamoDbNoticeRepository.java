package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.NoticeRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Notice deliveries (S6.4) in the Ledger table: {@code NOTICE#{account}} / {@code {version}}. */
public final class DynamoDbNoticeRepository implements NoticeRepository {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbNoticeRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String pk(String accountId) {
        return "NOTICE#" + accountId;
    }

    @Override
    public Optional<Delivery> find(String accountId, String version) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(pk(accountId), version)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(accountId, item));
    }

    @Override
    public boolean recordSent(Delivery d) {
        Map<String, AttributeValue> item = key(pk(d.accountId()), d.version());
        item.put("messageId", s(d.messageId()));
        item.put("sentAt", s(d.sentAt().toString()));
        item.put("sentOn", s(d.sentOn().toString()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException already) {
            return false;
        }
    }

    @Override
    public Map<String, LocalDate> sentDates(String accountId) {
        Map<String, LocalDate> out = new HashMap<>();
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk(accountId))))
                .build();
        for (QueryResponse page : dynamo.queryPaginator(query)) {
            for (Map<String, AttributeValue> item : page.items()) {
                out.put(Attr.string(item, LedgerTable.SK), LocalDate.parse(Attr.string(item, "sentOn")));
            }
        }
        return out;
    }

    private static Delivery fromItem(String accountId, Map<String, AttributeValue> item) {
        return new Delivery(accountId, Attr.string(item, LedgerTable.SK), Attr.string(item, "messageId"),
                Instant.parse(Attr.string(item, "sentAt")), LocalDate.parse(Attr.string(item, "sentOn")));
    }
}
