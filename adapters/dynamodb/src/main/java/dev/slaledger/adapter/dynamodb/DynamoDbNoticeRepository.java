package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.NoticeDeliveries;
import dev.slaledger.core.port.NoticeRepository;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Notice deliveries (S6.2-S6.4) in the Ledger table.
 *
 * <pre>
 * pk                      sk         what
 * NOTICE#{account}        {version}  the delivery: state, attemptId, to, sends, failures, leaseUntil,
 *                                    messageId, sentAt, sentOn, lastError
 * NOTICEATTEMPT#{attempt} ATTEMPT    accountId, version, to, zone, reservedAt, leaseUntil, expiresAt (TTL)
 * </pre>
 *
 * An item without {@code state} (written by {@link #recordSent}) is a SENT delivery. The S6.3
 * reads ({@link #sentDates}, {@link #find(String, String)}) see SENT deliveries only: a
 * reservation is not a notice, and a bounced notice did not reach the customer.
 */
public final class DynamoDbNoticeRepository implements NoticeRepository, NoticeDeliveries {
    private static final String ATTEMPT_PREFIX = "NOTICEATTEMPT#";
    private static final String ATTEMPT_SK = "ATTEMPT";
    /** Attempt items are kept about 400 days (DynamoDB TTL on {@code expiresAt}, set by the infrastructure). */
    private static final long ATTEMPT_TTL_SECONDS = 400L * 24 * 3600;

    private static final Map<String, String> NAMES = Map.of("#state", "state", "#to", "to", "#attempt", "attemptId");

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbNoticeRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private static String pk(String accountId) {
        return "NOTICE#" + accountId;
    }

    // ------------------------------------------------------------ NoticeRepository (S6.3 reads)

    @Override
    public Optional<Delivery> find(String accountId, String version) {
        return stored(accountId, version).filter(r -> r.state() == State.SENT)
                .map(r -> new Delivery(accountId, version, r.messageId().orElseThrow(), r.sentAt().orElseThrow(),
                        r.sentOn().orElseThrow()));
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
        for (Map<String, AttributeValue> item : LedgerTable.partition(dynamo, table, pk(accountId))) {
            if (stateOf(item) == State.SENT) {
                out.put(Attr.string(item, LedgerTable.SK), LocalDate.parse(Attr.string(item, "sentOn")));
            }
        }
        return out;
    }

    // ------------------------------------------------------------ NoticeDeliveries (the send's life)

    @Override
    public Optional<Record> stored(String accountId, String version) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(pk(accountId), version)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(accountId, item));
    }

    /** One consistent Query of the account's {@code NOTICE#} partition (paged: ~1 request per 1 MB). */
    @Override
    public List<Record> records(String accountId) {
        List<Record> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : LedgerTable.partition(dynamo, table, pk(accountId))) {
            out.add(fromItem(accountId, item));
        }
        return out;
    }

    /**
     * One transaction: the delivery item becomes SENDING for this attempt (conditioned on what the
     * caller read), and the attempt item is created (so provider events tagged with the attempt id
     * find the delivery).
     */
    @Override
    public boolean reserve(Attempt a, Optional<Record> previous) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":sending", s(State.SENDING.name()));
        values.put(":a", s(a.attemptId()));
        values.put(":to", s(a.to()));
        values.put(":lease", s(a.leaseUntil().toString()));
        values.put(":reserved", s(a.reservedAt().toString()));
        values.put(":zero", n(0));
        String condition;
        if (previous.isEmpty()) {
            condition = "attribute_not_exists(pk)";
        } else {
            condition = previous.get().state() == State.SENT
                    ? "(attribute_not_exists(#state) OR #state = :prevState) AND #attempt = :prevAttempt"
                    : "#state = :prevState AND #attempt = :prevAttempt";
            values.put(":prevState", s(previous.get().state().name()));
            values.put(":prevAttempt", s(previous.get().attemptId()));
        }
        Update update = Update.builder()
                .tableName(table)
                .key(key(pk(a.accountId()), a.version()))
                .updateExpression("SET #state = :sending, #attempt = :a, #to = :to, leaseUntil = :lease, "
                        + "reservedAt = :reserved, sends = if_not_exists(sends, :zero), "
                        + "failures = if_not_exists(failures, :zero) REMOVE messageId, sentAt, sentOn")
                .conditionExpression(condition)
                .expressionAttributeNames(NAMES)
                .expressionAttributeValues(values)
                .build();
        Map<String, AttributeValue> attempt = key(ATTEMPT_PREFIX + a.attemptId(), ATTEMPT_SK);
        attempt.put("accountId", s(a.accountId()));
        attempt.put("version", s(a.version()));
        attempt.put("to", s(a.to()));
        attempt.put("zone", s(a.zone().getId()));
        attempt.put("reservedAt", s(a.reservedAt().toString()));
        attempt.put("leaseUntil", s(a.leaseUntil().toString()));
        attempt.put("expiresAt", n(a.reservedAt().getEpochSecond() + ATTEMPT_TTL_SECONDS));
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().update(update).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(attempt)
                            .conditionExpression("attribute_not_exists(pk)").build()).build()));
            return true;
        } catch (TransactionCanceledException e) {
            if (lostRace(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean complete(String accountId, String version, String attemptId, String messageId, Instant sentAt,
            LocalDate sentOn) {
        return update(accountId, version, "SET #state = :sent, messageId = :m, sentAt = :at, sentOn = :on, "
                + "sends = if_not_exists(sends, :zero) + :one",
                "#state = :sending AND #attempt = :a",
                Map.of(":sent", s(State.SENT.name()), ":m", s(messageId), ":at", s(sentAt.toString()),
                        ":on", s(sentOn.toString()), ":zero", n(0), ":one", n(1),
                        ":sending", s(State.SENDING.name()), ":a", s(attemptId)));
    }

    @Override
    public boolean release(String accountId, String version, String attemptId, String error,
            boolean countsAsFailure) {
        return update(accountId, version, "SET #state = :retry, lastError = :e, "
                + "failures = if_not_exists(failures, :zero) + :one",
                "#state = :sending AND #attempt = :a",
                Map.of(":retry", s(State.RETRY.name()), ":e", s(abbreviate(error)), ":zero", n(0),
                        ":one", n(countsAsFailure ? 1 : 0),
                        ":sending", s(State.SENDING.name()), ":a", s(attemptId)));
    }

    @Override
    public boolean markBounced(String accountId, String version, String messageId, String reason) {
        return update(accountId, version, "SET #state = :bounced, lastError = :e",
                "(attribute_not_exists(#state) OR #state = :sent) AND messageId = :m",
                Map.of(":bounced", s(State.BOUNCED.name()), ":e", s(abbreviate(reason)),
                        ":sent", s(State.SENT.name()), ":m", s(messageId)));
    }

    @Override
    public Optional<Attempt> attempt(String attemptId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(ATTEMPT_PREFIX + attemptId, ATTEMPT_SK)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Attempt(Attr.string(item, "accountId"), Attr.string(item, "version"), attemptId,
                Attr.string(item, "to"), ZoneId.of(Attr.string(item, "zone")),
                Instant.parse(Attr.string(item, "reservedAt")), Instant.parse(Attr.string(item, "leaseUntil"))));
    }

    private boolean update(String accountId, String version, String expression, String condition,
            Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>();
        NAMES.forEach((k, v) -> {
            if (expression.contains(k) || condition.contains(k)) {
                names.put(k, v);
            }
        });
        try {
            dynamo.updateItem(UpdateItemRequest.builder()
                    .tableName(table)
                    .key(key(pk(accountId), version))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(pk) AND " + condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .build());
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }

    private static boolean lostRace(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        for (CancellationReason r : e.cancellationReasons()) {
            if ("ConditionalCheckFailed".equals(r.code()) || "TransactionConflict".equals(r.code())) {
                return true;
            }
        }
        return false;
    }

    private static State stateOf(Map<String, AttributeValue> item) {
        String state = Attr.string(item, "state");
        return state == null ? State.SENT : State.valueOf(state);
    }

    private static Record fromItem(String accountId, Map<String, AttributeValue> item) {
        State state = stateOf(item);
        String lease = Attr.string(item, "leaseUntil");
        String sentAt = Attr.string(item, "sentAt");
        String sentOn = Attr.string(item, "sentOn");
        boolean legacy = Attr.string(item, "state") == null;
        return new Record(accountId, Attr.string(item, LedgerTable.SK), state,
                legacy ? "recorded" : Attr.string(item, "attemptId"),
                legacy ? "" : Attr.string(item, "to"),
                item.containsKey("sends") ? (int) Attr.number(item, "sends") : (legacy ? 1 : 0),
                item.containsKey("failures") ? (int) Attr.number(item, "failures") : 0,
                lease == null ? Instant.EPOCH : Instant.parse(lease),
                Optional.ofNullable(Attr.string(item, "messageId")),
                Optional.ofNullable(sentAt).map(Instant::parse),
                Optional.ofNullable(sentOn).map(LocalDate::parse),
                Optional.ofNullable(Attr.string(item, "lastError")));
    }

    private static String abbreviate(String s) {
        String text = s == null ? "(no detail)" : s;
        return text.length() <= 500 ? text : text.substring(0, 497) + "...";
    }
}
