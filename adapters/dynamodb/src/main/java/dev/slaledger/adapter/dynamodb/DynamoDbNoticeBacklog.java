package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.notice.NoticeWork;
import dev.slaledger.core.port.NoticeBacklog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Parked notice work and given-up accounts (S9.2) in the Ledger table:
 *
 * <pre>
 * pk                      sk                          what
 * NOTICEPARK              {notBefore ms:19}#{uuid}    kind, key, accountIds (list), attempt, versions, reason
 * NOTICEGAVEUP#{campaign} {account}                   attempts, error, at, expiresAt (TTL, 400 days)
 * </pre>
 *
 * The due parked units are one Query ({@code sk <= now}), oldest first; parking a unit is one
 * PutItem, handing it back one DeleteItem. The parked partition holds only work left, so its reads
 * grow with that, not with the accounts done.
 */
public final class DynamoDbNoticeBacklog implements NoticeBacklog {
    static final String PARK_PK = "NOTICEPARK";
    static final String GAVE_UP_PREFIX = "NOTICEGAVEUP#";
    private static final long GAVE_UP_TTL_SECONDS = Duration.ofDays(400).toSeconds();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbNoticeBacklog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String sk(Instant notBefore, String id) {
        return String.format("%019d#%s", notBefore.toEpochMilli(), id);
    }

    @Override
    public Parked park(NoticeWork work, Instant notBefore, String reason) {
        String sk = sk(notBefore, UUID.randomUUID().toString());
        Map<String, AttributeValue> item = key(PARK_PK, sk);
        item.put("kind", s(work.kind().name()));
        item.put("key", s(work.key()));
        item.put("accountIds", AttributeValue.fromL(work.accountIds().stream().map(AttributeValue::fromS).toList()));
        item.put("attempt", n(work.attempt()));
        item.put("versions", n(work.versions()));
        item.put("notBefore", s(notBefore.toString()));
        item.put("reason", s(reason.length() <= 500 ? reason : reason.substring(0, 497) + "..."));
        dynamo.putItem(b -> b.tableName(table).item(item));
        return new Parked(sk, work, notBefore, reason);
    }

    @Override
    public List<Parked> due(Instant now, int max) {
        QueryResponse page = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :pk AND sk <= :upto")
                .expressionAttributeValues(Map.of(":pk", s(PARK_PK),
                        ":upto", s(String.format("%019d#~", now.toEpochMilli()))))
                .consistentRead(true)
                .limit(max));
        List<Parked> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            NoticeWork work = new NoticeWork(NoticeWork.Kind.valueOf(Attr.string(item, "kind")),
                    Attr.string(item, "key"), item.get("accountIds").l().stream().map(AttributeValue::s).toList(),
                    (int) Attr.number(item, "attempt"), (int) Attr.number(item, "versions"));
            out.add(new Parked(Attr.string(item, LedgerTable.SK), work, Instant.parse(Attr.string(item, "notBefore")),
                    Attr.string(item, "reason")));
        }
        return out;
    }

    @Override
    public void remove(Parked parked) {
        dynamo.deleteItem(b -> b.tableName(table).key(key(PARK_PK, parked.id())));
    }

    @Override
    public void gaveUp(GaveUp g) {
        Map<String, AttributeValue> item = key(GAVE_UP_PREFIX + g.campaign(), g.accountId());
        item.put("attempts", n(g.attempts()));
        String error = g.error() == null ? "" : g.error();
        item.put("error", s(error.length() <= 1000 ? error : error.substring(0, 997) + "..."));
        item.put("at", s(g.at().toString()));
        item.put("expiresAt", n(g.at().getEpochSecond() + GAVE_UP_TTL_SECONDS));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }
}
