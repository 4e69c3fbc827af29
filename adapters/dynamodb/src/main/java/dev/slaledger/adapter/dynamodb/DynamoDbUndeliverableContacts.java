package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.UndeliverableContacts;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Undeliverable addresses (S6.4) in the Ledger table: {@code CONTACT#{lower-cased email}} /
 * {@code UNDELIVERABLE} with the reason, when, and the message that revealed it.
 */
public final class DynamoDbUndeliverableContacts implements UndeliverableContacts {
    private static final String SK = "UNDELIVERABLE";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbUndeliverableContacts(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String pk(String email) {
        return "CONTACT#" + UndeliverableContacts.normalize(email);
    }

    @Override
    public Optional<Undeliverable> find(String email) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(pk(email), SK))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Undeliverable(Attr.string(item, "email"), Attr.string(item, "reason"),
                Instant.parse(Attr.string(item, "at")), Attr.string(item, "messageId")));
    }

    @Override
    public void mark(Undeliverable u) {
        Map<String, AttributeValue> item = key(pk(u.email()), SK);
        item.put("email", s(u.email()));
        item.put("reason", s(u.reason()));
        item.put("at", s(u.at().toString()));
        item.put("messageId", s(u.messageId()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }
}
