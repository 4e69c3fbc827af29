package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.StatementRepository;
import dev.slaledger.core.statement.RevisionCause;
import dev.slaledger.core.statement.Statement;
import dev.slaledger.core.statement.StatementJson;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
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
    private static final String MONTH_PREFIX = "STMONTH#";
    /** S9.7: the latest cause of a kind on an account-month's mark, and the count of that kind. */
    private static final String CAUSE_PREFIX = "c_";
    private static final String CAUSE_COUNT_PREFIX = "n_";
    /** S9.7: the cause of a month-wide mark, by the mark it came with. */
    private static final String MONTH_CAUSE_PREFIX = "mc_";
    private static final int MONTH_MARK_ATTEMPTS = 10;
    /** The statement shards' prefix on the outbox index. */
    static final String OUTBOX_KIND = "ST";

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
        return response.items().stream().findFirst().filter(i -> i.containsKey("doc"))
                .map(i -> StatementJson.fromJson(Attr.string(i, "doc")));
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
        long monthDone = 0;
        Optional<Statement> latest = Optional.empty();
        int latestRevision = 0;
        List<RevisionCause> causes = List.of();
        for (Map<String, AttributeValue> item : response.items()) {
            String sk = Attr.string(item, LedgerTable.SK);
            if (STALE.equals(sk)) {
                mark = staleMarkOf(item);
                monthDone = item.containsKey("monthDone") ? Attr.number(item, "monthDone") : 0;
                if (mark.isPresent()) {
                    causes = causesOf(item);
                }
            } else if (sk.startsWith(REVISION_PREFIX) && latestRevision == 0) {
                latestRevision = Integer.parseInt(sk.substring(REVISION_PREFIX.length()));
                if (item.containsKey("doc")) {
                    latest = Optional.of(StatementJson.fromJson(Attr.string(item, "doc")));
                }
            }
        }
        return new Snapshot(latest, mark, monthDone, latestRevision, causes);
    }

    /** The causes on a mark item, oldest first (S9.7); an unreadable one is left out, never a reason to throw. */
    static List<RevisionCause> causesOf(Map<String, AttributeValue> item) {
        List<RevisionCause> causes = new ArrayList<>();
        item.forEach((name, value) -> {
            if (!name.startsWith(CAUSE_PREFIX)) {
                return;
            }
            try {
                RevisionCause.Kind kind = RevisionCause.Kind.valueOf(name.substring(CAUSE_PREFIX.length()));
                AttributeValue n = item.get(CAUSE_COUNT_PREFIX + kind.name());
                causes.add(cause(kind, value, n == null ? 1 : Math.max(1, Long.parseLong(n.n()))));
            } catch (RuntimeException unreadable) {
                // not a cause this code wrote
            }
        });
        causes.sort(Comparator.comparing(RevisionCause::at));
        return causes;
    }

    private static RevisionCause cause(RevisionCause.Kind kind, AttributeValue value, long count) {
        Map<String, AttributeValue> m = value.m();
        AttributeValue id = m.get("id");
        return new RevisionCause(kind, Optional.ofNullable(id == null ? null : id.s()), Instant.parse(m.get("at").s()),
                count);
    }

    private static AttributeValue causeValue(RevisionCause cause) {
        Map<String, AttributeValue> m = new HashMap<>();
        cause.eventId().ifPresent(id -> m.put("id", s(id)));
        m.put("at", s(cause.at().toString()));
        m.put("kind", s(cause.kind().name()));
        return AttributeValue.fromM(m);
    }

    @Override
    public List<Statement> history(String accountId, YearMonth month) {
        List<Statement> out = new ArrayList<>();
        for (QueryResponse page : dynamo.queryPaginator(revisions(accountId, month).scanIndexForward(true).build())) {
            page.items().stream().filter(i -> i.containsKey("doc"))
                    .forEach(i -> out.add(StatementJson.fromJson(Attr.string(i, "doc"))));
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
            // the outbox (S7.6): owed since its computation, listed on the outbox index until sent
            item.put("eventPending", AttributeValue.fromBool(true));
            LedgerTable.putOutbox(item, OUTBOX_KIND, statement.computedAt());
        }
        return putRevision(item);
    }

    /** A revision item without {@code doc}, marked {@code void}: the account-month has no statement now. */
    @Override
    public boolean saveVoid(String accountId, YearMonth month, int revision) {
        Map<String, AttributeValue> item = key(pk(accountId, month), revisionKey(revision));
        item.put("revision", n(revision));
        item.put("void", AttributeValue.fromBool(true));
        return putRevision(item);
    }

    /** A revision is written once: false when another writer stored that revision first. */
    private boolean putRevision(Map<String, AttributeValue> item) {
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

    /** Removes the flag and the outbox index keys together. */
    @Override
    public void markEventSent(String accountId, YearMonth month, int revision) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(pk(accountId, month), revisionKey(revision)))
                .updateExpression("REMOVE eventPending, #shard, #since")
                .expressionAttributeNames(Map.of("#shard", LedgerTable.OUTBOX_SHARD,
                        "#since", LedgerTable.PENDING_SINCE))
                .conditionExpression("attribute_exists(pk)"));
    }

    @Override
    public Optional<Statement> revision(String accountId, YearMonth month, int revision) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(pk(accountId, month), revisionKey(revision)))
                .consistentRead(true)).item();
        return item == null || !item.containsKey("doc") ? Optional.empty()
                : Optional.of(StatementJson.fromJson(Attr.string(item, "doc")));
    }

    /**
     * The statement shards of the Ledger's sparse outbox index ({@value LedgerTable#OUTBOX_SHARDS}
     * Query requests when nothing is owed); entries owed since {@code olderThan} or earlier.
     */
    @Override
    public void forEachPendingEvent(Instant olderThan, Consumer<PendingEvent> sink) {
        LedgerTable.forEachOwed(dynamo, table, OUTBOX_KIND, olderThan, item -> pendingEvent(
                Attr.string(item, LedgerTable.PK), Attr.string(item, LedgerTable.SK)).ifPresent(sink));
    }

    /** {@code ST#{account}#{yyyy-MM}} and {@code R{revision:6}}; anything else is not a statement revision. */
    static Optional<PendingEvent> pendingEvent(String pk, String sk) {
        try {
            Optional<StaleEntry> accountMonth = staleEntry(pk, 0).filter(e -> e.accountId().isPresent());
            if (accountMonth.isEmpty() || !sk.startsWith(REVISION_PREFIX)) {
                return Optional.empty();
            }
            return Optional.of(new PendingEvent(accountMonth.get().accountId().get(), accountMonth.get().month(),
                    Integer.parseInt(sk.substring(REVISION_PREFIX.length()))));
        } catch (RuntimeException notARevisionKey) { // a month or a number that does not parse
            return Optional.empty();
        }
    }

    /**
     * The mark is a counter that is never reset: every marking adds 1, a recomputation records
     * the mark it saw as {@code done}. Stale while {@code mark > done}. A clear that read an older
     * mark fails its condition, and no later mark can repeat an earlier value (no ABA).
     */
    @Override
    public void markStale(String accountId, YearMonth month) {
        mark(pk(accountId, month), accountId);
    }

    /** ADD 1 to the mark and put it on the stale index (one UpdateItem). */
    private void mark(String pk, String shardKey) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(pk, STALE))
                .updateExpression("ADD mark :one SET #shard = :shard")
                .expressionAttributeNames(Map.of("#shard", LedgerTable.STALE_SHARD))
                .expressionAttributeValues(Map.of(":one", n(1), ":shard", s(shard(shardKey)))));
    }

    static String shard(String key) {
        return "S" + Math.floorMod(key.hashCode(), LedgerTable.STALE_SHARDS);
    }

    /** S9.7: the mark and its cause in one UpdateItem (the latest cause of the kind, and one more of it). */
    @Override
    public void markStale(String accountId, YearMonth month, RevisionCause cause) {
        String pk = pk(accountId, month);
        dynamo.updateItem(b -> b.tableName(table)
                .key(key(pk, STALE))
                .updateExpression("ADD mark :one, #n :one SET #shard = :shard, #c = :cause")
                .expressionAttributeNames(Map.of("#shard", LedgerTable.STALE_SHARD,
                        "#c", CAUSE_PREFIX + cause.kind().name(), "#n", CAUSE_COUNT_PREFIX + cause.kind().name()))
                .expressionAttributeValues(Map.of(":one", n(1), ":shard", s(shard(accountId)),
                        ":cause", causeValue(cause))));
    }

    @Override
    public void markMonthStale(YearMonth month) {
        mark(MONTH_PREFIX + month, MONTH_PREFIX + month);
    }

    /**
     * S9.7: the next month-wide mark with its cause under that mark: a conditional write of the mark
     * read plus one (a rare write: a window for all accounts), retried when another came first.
     */
    @Override
    public void markMonthStale(YearMonth month, RevisionCause cause) {
        String pk = MONTH_PREFIX + month;
        for (int attempt = 0; attempt < MONTH_MARK_ATTEMPTS; attempt++) {
            long current = monthMark(month);
            long next = current + 1;
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":next", n(next), ":shard", s(shard(pk)),
                    ":cause", causeValue(cause)));
            String condition = "attribute_not_exists(mark)";
            if (current > 0) {
                condition = "mark = :current";
                values.put(":current", n(current));
            }
            String when = condition;
            try {
                dynamo.updateItem(b -> b.tableName(table)
                        .key(key(pk, STALE))
                        .updateExpression("SET mark = :next, #shard = :shard, #c = :cause")
                        .conditionExpression(when)
                        .expressionAttributeNames(Map.of("#shard", LedgerTable.STALE_SHARD,
                                "#c", MONTH_CAUSE_PREFIX + next))
                        .expressionAttributeValues(values));
                return;
            } catch (ConditionalCheckFailedException marked) {
                // another change marked the month meanwhile: take the next mark
            }
        }
        throw new IllegalStateException("the month-wide mark of " + month + " kept changing under "
                + MONTH_MARK_ATTEMPTS + " attempts");
    }

    @Override
    public Map<Long, RevisionCause> monthCauses(YearMonth month) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(MONTH_PREFIX + month, STALE))
                .consistentRead(true)).item();
        Map<Long, RevisionCause> causes = new TreeMap<>();
        if (item == null) {
            return causes;
        }
        item.forEach((name, value) -> {
            if (name.startsWith(MONTH_CAUSE_PREFIX) && value.m() != null && value.hasM()) {
                try {
                    long mark = Long.parseLong(name.substring(MONTH_CAUSE_PREFIX.length()));
                    causes.put(mark, cause(RevisionCause.Kind.valueOf(value.m().get("kind").s()), value, 1));
                } catch (RuntimeException unreadable) {
                    // not a cause this code wrote
                }
            }
        });
        return causes;
    }

    @Override
    public long monthMark(YearMonth month) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(MONTH_PREFIX + month, STALE))
                .projectionExpression("mark")
                .consistentRead(true)).item();
        return item == null || !item.containsKey("mark") ? 0 : Attr.number(item, "mark");
    }

    @Override
    public void recordMonthDone(String accountId, YearMonth month, long mark) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pk(accountId, month), STALE))
                    .updateExpression("SET monthDone = :m")
                    .conditionExpression("attribute_not_exists(monthDone) OR monthDone < :m")
                    .expressionAttributeValues(Map.of(":m", n(mark))));
        } catch (ConditionalCheckFailedException newerRecorded) {
            // a concurrent recomputation recorded a later month-wide mark: keep it
        }
    }

    @Override
    public void clearMonthStale(YearMonth month, long mark) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(MONTH_PREFIX + month, STALE))
                    .updateExpression("REMOVE #shard")
                    .conditionExpression("mark = :seen")
                    .expressionAttributeNames(Map.of("#shard", LedgerTable.STALE_SHARD))
                    .expressionAttributeValues(Map.of(":seen", n(mark))));
        } catch (ConditionalCheckFailedException markedAgain) {
            // marked again meanwhile: stays listed for the next run
        }
    }

    /**
     * One Query per shard of the sparse stale index (paged): {@value LedgerTable#STALE_SHARDS}
     * requests when nothing is stale. The index is eventually consistent: a mark set a moment
     * ago may show on the next run; a mark cleared a moment ago may show once more (its worker
     * finds it no longer stale).
     */
    @Override
    public void forEachStale(Consumer<StaleEntry> sink) {
        for (int shard = 0; shard < LedgerTable.STALE_SHARDS; shard++) {
            QueryRequest query = QueryRequest.builder()
                    .tableName(table)
                    .indexName(LedgerTable.STALE_INDEX)
                    .keyConditionExpression("#shard = :shard")
                    .expressionAttributeNames(Map.of("#shard", LedgerTable.STALE_SHARD))
                    .expressionAttributeValues(Map.of(":shard", s("S" + shard)))
                    .build();
            for (QueryResponse page : dynamo.queryPaginator(query)) {
                for (Map<String, AttributeValue> item : page.items()) {
                    staleEntry(Attr.string(item, LedgerTable.PK),
                            item.containsKey("mark") ? Attr.number(item, "mark") : 0).ifPresent(sink);
                }
            }
        }
    }

    /** {@code ST#{account}#{yyyy-MM}} or {@code STMONTH#{yyyy-MM}}; anything else is not a mark. */
    static Optional<StaleEntry> staleEntry(String pk, long mark) {
        if (pk.startsWith(MONTH_PREFIX)) {
            return Optional.of(new StaleEntry(Optional.empty(), YearMonth.parse(pk.substring(MONTH_PREFIX.length())),
                    mark));
        }
        if (pk.startsWith("ST#") && pk.length() > "ST#".length() + 8) {
            String month = pk.substring(pk.length() - 7);
            String account = pk.substring("ST#".length(), pk.length() - 8);
            return Optional.of(new StaleEntry(Optional.of(account), YearMonth.parse(month), mark));
        }
        return Optional.empty();
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

    /** Every cause attribute a mark can carry: a successful clear removes them all (S9.7). */
    private static final String REMOVE_CAUSES = java.util.Arrays.stream(RevisionCause.Kind.values())
            .map(k -> ", " + CAUSE_PREFIX + k.name() + ", " + CAUSE_COUNT_PREFIX + k.name())
            .collect(java.util.stream.Collectors.joining());

    @Override
    public void clearStale(String accountId, YearMonth month, long mark) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(pk(accountId, month), STALE))
                    .updateExpression("SET done = :seen REMOVE #shard" + REMOVE_CAUSES)
                    .conditionExpression("mark = :seen")
                    .expressionAttributeNames(Map.of("#shard", LedgerTable.STALE_SHARD))
                    .expressionAttributeValues(Map.of(":seen", n(mark))));
        } catch (ConditionalCheckFailedException markedAgain) {
            // late data arrived meanwhile: the mark stays for the next computation
        }
    }
}
