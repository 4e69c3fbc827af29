package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.claim.ClaimJson;
import dev.slaledger.core.port.ClaimRepository;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Claims in the Ledger table, under partition {@code CLAIM#{account}}:
 *
 * <pre>
 * sk               what
 * M#{yyyy-MM}      THE accepted claim of the period (S4.4): put only if absent; carries the
 *                  VoucherIssued outbox: eventPending (BOOL) and leaseUntil (N, epoch ms), and
 *                  while owed the outbox index keys outboxShard and pendingSince (S7.6)
 * ID#{claimId}     every claim, accepted or refused, for GET /claims/{id}
 * </pre>
 *
 * An accepted claim writes both items in one transaction whose put of {@code M#} is conditioned
 * on its absence, so of many concurrent claims exactly one stands and the others read it back.
 * A refused claim writes only its {@code ID#} item (it may be made again, S5.3).
 */
public final class DynamoDbClaimRepository implements ClaimRepository {
    private static final String ACCEPTED = "M#";
    private static final String BY_ID = "ID#";
    private static final int MAX_ATTEMPTS = 12;
    /** The claim shards' prefix on the outbox index. */
    static final String OUTBOX_KIND = "CL";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbClaimRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String pk(String accountId) {
        return "CLAIM#" + accountId;
    }

    private static Map<String, AttributeValue> acceptedKey(String accountId, YearMonth month) {
        return key(pk(accountId), ACCEPTED + month);
    }

    @Override
    public Optional<Claim> acceptedClaim(String accountId, YearMonth month) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(acceptedKey(accountId, month)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ClaimJson.fromJson(Attr.string(item, "doc")));
    }

    @Override
    public Claim recordAccepted(Claim claim) {
        if (!claim.decision().accepted()) {
            throw new IllegalArgumentException("claim " + claim.claimId() + " was not accepted");
        }
        Map<String, AttributeValue> standing = acceptedKey(claim.accountId(), claim.month());
        standing.put("doc", s(ClaimJson.toJson(claim)));
        standing.put("claimId", s(claim.claimId()));
        if (claim.decision().issuesVoucher()) {
            // the outbox (S7.6), in the transaction that records the claim: owed since the request,
            // listed on the outbox index until sent
            standing.put("eventPending", AttributeValue.fromBool(true));
            LedgerTable.putOutbox(standing, OUTBOX_KIND, claim.requestedAt());
        }
        Map<String, AttributeValue> byId = key(pk(claim.accountId()), BY_ID + claim.claimId());
        byId.put("doc", s(ClaimJson.toJson(claim)));
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(standing)
                                .conditionExpression("attribute_not_exists(pk)").build()).build(),
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(byId)
                                .conditionExpression("attribute_not_exists(pk)").build()).build()));
                return claim;
            } catch (TransactionCanceledException e) {
                Optional<Claim> winner = acceptedClaim(claim.accountId(), claim.month());
                if (winner.isPresent()) {
                    return winner.get();
                }
                boolean conflict = e.cancellationReasons().stream().map(CancellationReason::code)
                        .anyMatch("TransactionConflict"::equals);
                if (!conflict || attempt >= MAX_ATTEMPTS) {
                    throw new IllegalStateException("claim " + claim.claimId() + " could not be recorded: "
                            + e.cancellationReasons(), e);
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording a claim", e);
        }
    }

    /**
     * The refused claim's {@code ID#} item, with {@code expiresAt} (N, epoch seconds: the Ledger
     * table's TTL attribute), so DynamoDB deletes it after its expiry (issue 15).
     */
    @Override
    public void recordRefused(Claim claim, Instant expiresAt) {
        if (claim.decision().accepted()) {
            throw new IllegalArgumentException("claim " + claim.claimId() + " was accepted");
        }
        Map<String, AttributeValue> item = key(pk(claim.accountId()), BY_ID + claim.claimId());
        item.put("doc", s(ClaimJson.toJson(claim)));
        item.put("expiresAt", n(expiresAt.getEpochSecond()));
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)"));
    }

    @Override
    public Optional<Claim> find(String accountId, String claimId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(pk(accountId), BY_ID + claimId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(ClaimJson.fromJson(Attr.string(item, "doc")));
    }

    @Override
    public List<Claim> acceptedClaims(String accountId) {
        QueryRequest query = QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :m)")
                .expressionAttributeValues(Map.of(":pk", s(pk(accountId)), ":m", s(ACCEPTED)))
                .scanIndexForward(false)
                .consistentRead(true)
                .build();
        List<Claim> out = new ArrayList<>();
        for (QueryResponse page : dynamo.queryPaginator(query)) {
            page.items().forEach(i -> out.add(ClaimJson.fromJson(Attr.string(i, "doc"))));
        }
        return out;
    }

    @Override
    public boolean leaseVoucherEvent(String accountId, YearMonth month, Instant now, Instant leaseUntil) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(acceptedKey(accountId, month))
                    .updateExpression("SET leaseUntil = :until")
                    .conditionExpression("eventPending = :yes AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)")
                    .expressionAttributeValues(Map.of(":until", n(leaseUntil.toEpochMilli()),
                            ":now", n(now.toEpochMilli()), ":yes", AttributeValue.fromBool(true))));
            return true;
        } catch (ConditionalCheckFailedException notOwedOrTaken) {
            return false;
        }
    }

    /** Removes the flag, the lease and the outbox index keys together. */
    @Override
    public void markVoucherEventSent(String accountId, YearMonth month) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(acceptedKey(accountId, month))
                .updateExpression("REMOVE eventPending, leaseUntil, #shard, #since")
                .expressionAttributeNames(Map.of("#shard", LedgerTable.OUTBOX_SHARD,
                        "#since", LedgerTable.PENDING_SINCE))
                .conditionExpression("attribute_exists(pk)"));
    }

    @Override
    public void releaseVoucherEvent(String accountId, YearMonth month) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(acceptedKey(accountId, month))
                    .updateExpression("REMOVE leaseUntil")
                    .conditionExpression("eventPending = :yes")
                    .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true))));
        } catch (ConditionalCheckFailedException alreadySent) {
            // nothing owed any more
        }
    }

    /**
     * The claim shards of the Ledger's sparse outbox index ({@value LedgerTable#OUTBOX_SHARDS} Query
     * requests when nothing is owed); claims requested at {@code olderThan} or earlier.
     */
    @Override
    public void forEachPendingVoucherEvent(Instant olderThan, Consumer<PendingVoucher> sink) {
        LedgerTable.forEachOwed(dynamo, table, OUTBOX_KIND, olderThan, item -> pendingVoucher(
                Attr.string(item, LedgerTable.PK), Attr.string(item, LedgerTable.SK)).ifPresent(sink));
    }

    /** {@code CLAIM#{account}} and {@code M#{yyyy-MM}}; anything else is not an accepted claim. */
    static Optional<PendingVoucher> pendingVoucher(String pk, String sk) {
        if (!pk.startsWith(pk("")) || pk.length() == pk("").length() || !sk.startsWith(ACCEPTED)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PendingVoucher(pk.substring(pk("").length()),
                    YearMonth.parse(sk.substring(ACCEPTED.length()))));
        } catch (RuntimeException notAMonth) {
            return Optional.empty();
        }
    }
}
