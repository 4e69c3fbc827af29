package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementJson;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Statements in the Ledger table, one item per revision under {@code ST#{account}#{month}}
 * (sort key {@code R000001}...), so the latest revision is one Query with Limit 1 read
 * backwards, and a revision is stored with a conditional put that two concurrent runs cannot
 * both win. The staleness mark lives beside them under sort key {@code ~STALE}, which sorts
 * after every revision: one Query read backwards with Limit 2 returns the mark and the latest
 * revision together ({@link #snapshot}).
 */
public final class DynamoDbStatementRepository implements StatementRepository {
    private static final String REVISION_PREFIX = "R";
    private static final String STALE = "~STALE";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbStatementRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String pk(String accountId, YearMonth month) {
        return "ST#" + accountId + "#" + month;
    }

    static String revisionKey(int revision) {
        return REVISION_PREFIX + String.format("%06d", revision);
    }

    @Override
    public Optional<Statement> latest(String accountId, YearMonth month) {
        QueryResponse response = dynamo.query(revisions(accountId, month).scanIndexForward(false).limit(1).build());
        return response.items().stream().findFirst().map(i -> StatementJson.fromJson(Attr.string(i, "doc")));
    }

    @Override
    public Snapshot snapshot(String accountId, YearMonth month) {
        QueryResponse response = dynamo.query(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(pk(accountId, month))))
                .scanIndexForward(false)
                .limit(2)
                .consistentRead(true)
                .build());
        Optional<Long> mark = Optional.empty();
        Optional<Statement> latest = Optional.empty();
        for (Map<String, AttributeValue> item : response.items()) {
            String sk = Attr.string(item, LedgerTable.SK);
            if (STALE.equals(sk)) {
                mark = staleMarkOf(item);
            } else if (sk.startsWith(REVISION_PREFIX) && latest.isEmpty()) {
                latest = Optional.of(StatementJson.fromJson(Attr.string(item, "doc")));
            }
        }
        return new Snapshot(latest, mark);
    }

    @Override
    public List<Statement> history(String accountId, YearMonth month) {
        List<Statement> out = new ArrayList<>();
        for (QueryResponse page : dynamo.queryPaginator(revisions(accountId, month).scanIndexForward(true).build())) {
            page.items().forEach(i -> out.add(StatementJson.fromJson(Attr.string(i, "doc"))));
        }
        return out;
    }

    private QueryRequest.Builder revisions(String accountId, YearMonth month) {
        return QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :r)")
                .expressionAttributeValues(Map.of(":pk", s(pk(accountId, month)), ":r", s(REVISION_PREFIX)))
                .consistentRead(true);
    }

    @Override
    public boolean saveRevision(Statement statement) {
        Map<String, AttributeValue> item = key(pk(statement.accountId(), statement.month()),
                revisionKey(statement.revision()));
        item.put("doc", s(StatementJson.toJson(statement)));
        item.put("revision", n(statement.revision()));
        if (statement.compensable()) {
            item.put("eventPending", AttributeValue.fromBool(true));
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    @Override
    public boolean eventPending(String accountId, YearMonth month, int revision) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(pk(accountId, month), revisionKey(revision)))
                .projectionExpression("eventPending")
                .consistentRead(true)).item();
        AttributeValue pending = item == null ? null : item.get("eventPending");
        return pending != null && Boolean.TRUE.equals(pending.bool());
    }

    @Override
    public void markEventSent(String accountId, YearMonth month, int revision) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(pk(accountId, month), revisionKey(revision)))
                .updateExpression("REMOVE eventPending")
                .conditionExpression("attribute_exists(pk)"));
    }

    /**
     * The mark is a counter that is never reset: every marking adds 1, a recomputation records
     * the mark it saw as {@code done}. Stale while {@code mark > done}. A clear that read an older
     * mark fails its condition, and no later mark can repeat an earlier value (no ABA).
     */
    @Override
    public void markStale(String accountId, YearMonth month) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(pk(accountId, month), STALE))
                .updateExpression("ADD mark :one")
                .expressionAttributeValues(Map.of(":one", n(1))));
    }

    @Override
    public Optional<Long> staleMark(String accountId, YearMonth month) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(pk(accountId, month), STALE))
                .consistentRead(true)).item();
        return item == null ? Optional.empty() : staleMarkOf(item);
    }

    private static Optional<Long> staleMarkOf(Map<String, AttributeValue> item) {
        if (!item.containsKey("mark")) {
            return Optional.empty();
        }
        long mark = Attr.number(item, "mark");
        long done = item.containsKey("done") ? Attr.number(item, "done") : 0;
        return mark > done ? Optional.of(mark) : Optional.empty();
    }

    @Override
    public void clearStale(String accountId, YearMonth month, long mark) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pk(accountId, month), STALE))
                    .updateExpression("SET done = :seen")
                    .conditionExpression("mark = :seen")
                    .expressionAttributeValues(Map.of(":seen", n(mark))));
        } catch (ConditionalCheckFailedException markedAgain) {
            // late data arrived meanwhile: the mark stays for the next computation
        }
    }
}
