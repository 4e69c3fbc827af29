package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.NoticeCursors;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Notice sweep cursors (S9.2) and the daily count of accounts a change would notify (S9.4), in the
 * Ledger table:
 *
 * <pre>
 * pk              sk          what
 * NOTICECURSOR    {campaign}  listFrom, position, listed, done, audience, startedAt, updatedAt, rev
 * NOTICEAUDIENCE  COUNT       countedOn, subscriptions, countedAt
 * </pre>
 *
 * A cursor is saved with one conditional PutItem on the revision read ({@code rev}), so two runs
 * at once cannot both move it; all cursors are one Query.
 */
public final class DynamoDbNoticeCursors implements NoticeCursors {
    static final String CURSOR_PK = "NOTICECURSOR";
    static final String AUDIENCE_PK = "NOTICEAUDIENCE";
    private static final String AUDIENCE_SK = "COUNT";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbNoticeCursors(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<Cursor> all() {
        List<Cursor> out = new ArrayList<>();
        LedgerTable.partition(dynamo, table, CURSOR_PK).forEach(item -> out.add(fromItem(item)));
        return out;
    }

    @Override
    public Optional<Cursor> find(String campaign) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(CURSOR_PK, campaign))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean save(Cursor c) {
        Map<String, AttributeValue> item = key(CURSOR_PK, c.campaign());
        c.listFrom().ifPresent(d -> item.put("listFrom", s(d.toString())));
        c.position().ifPresent(p -> item.put("position", s(p)));
        item.put("listed", n(c.listed()));
        item.put("done", AttributeValue.fromBool(c.done()));
        item.put("audience", n(c.audience()));
        item.put("startedAt", s(c.startedAt().toString()));
        item.put("updatedAt", s(c.updatedAt().toString()));
        item.put("rev", n(c.revision() + 1));
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(table).item(item);
        if (c.revision() == 0) {
            put.conditionExpression("attribute_not_exists(pk)");
        } else {
            put.conditionExpression("rev = :rev").expressionAttributeValues(Map.of(":rev", n(c.revision())));
        }
        try {
            dynamo.putItem(put.build());
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    @Override
    public Optional<AudienceCount> audience() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(AUDIENCE_PK, AUDIENCE_SK))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AudienceCount(LocalDate.parse(Attr.string(item, "countedOn")),
                Attr.number(item, "subscriptions"), Instant.parse(Attr.string(item, "countedAt"))));
    }

    @Override
    public void recordAudience(AudienceCount count) {
        Map<String, AttributeValue> item = key(AUDIENCE_PK, AUDIENCE_SK);
        item.put("countedOn", s(count.countedOn().toString()));
        item.put("subscriptions", n(count.subscriptions()));
        item.put("countedAt", s(count.countedAt().toString()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    private static Cursor fromItem(Map<String, AttributeValue> item) {
        return new Cursor(Attr.string(item, LedgerTable.SK),
                Optional.ofNullable(Attr.string(item, "listFrom")).map(LocalDate::parse),
                Optional.ofNullable(Attr.string(item, "position")),
                Attr.number(item, "listed"),
                item.containsKey("done") && Boolean.TRUE.equals(item.get("done").bool()),
                Attr.number(item, "audience"),
                Instant.parse(Attr.string(item, "startedAt")),
                Instant.parse(Attr.string(item, "updatedAt")),
                Attr.number(item, "rev"));
    }
}
