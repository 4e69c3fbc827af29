package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.AccountsTable.PK;
import static dev.slaledger.adapter.dynamodb.AccountsTable.SK;

import dev.slaledger.core.account.Account;
import dev.slaledger.core.billing.AccountRegistry;
import dev.slaledger.core.billing.ApplyResult;
import dev.slaledger.core.billing.BillingEvent;
import dev.slaledger.core.billing.ConflictingBillingEventException;
import dev.slaledger.core.billing.ContactChanged;
import dev.slaledger.core.billing.FeeAssessed;
import dev.slaledger.core.billing.SubscriptionEnded;
import dev.slaledger.core.billing.SubscriptionPurchased;
import dev.slaledger.core.money.MonthlyFee;
import dev.slaledger.core.period.Term;
import dev.slaledger.core.port.AccountRepository;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The account registry in one DynamoDB table (docs/accounts.md has the design and its costs).
 *
 * <pre>
 * pk                 sk                         what
 * ACCOUNT#{account}  CONTACT                    email, locale               (versioned)
 * ACCOUNT#{account}  SUB#{subscription}         term start, end, status     (versioned)
 * ACCOUNT#{account}  FEE#{yyyy-MM}              amount, voucherPaid, currency (versioned)
 * MONTH#{yyyy-MM}    {account}#{subscription}   one per month a term touches
 * TERMEND            {end}#{account}#{sub}      one per subscription with a non-empty term
 * </pre>
 *
 * Every versioned item carries {@code billingVersion}; a write lands only if the stored version is
 * lower (conditional put), so replays and late events change nothing. A subscription and its
 * month-membership and term-end items change together in one transaction, conditioned on the
 * subscription version read just before (optimistic locking), so concurrent deliveries of
 * different versions cannot leave memberships of a term that is no longer stored.
 */
public final class DynamoDbAccountRepository implements AccountRepository, AccountRegistry {

    static final String ACCOUNT_PREFIX = "ACCOUNT#";
    static final String CONTACT_SK = "CONTACT";
    static final String SUB_PREFIX = "SUB#";
    static final String FEE_PREFIX = "FEE#";
    static final String MONTH_PREFIX = "MONTH#";
    static final String TERM_END_PK = "TERMEND";

    static final String BILLING_VERSION = "billingVersion";
    private static final int MAX_ATTEMPTS = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final BatchPuts batchPuts;

    public DynamoDbAccountRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.batchPuts = new BatchPuts(dynamo, BatchPuts.THREAD_SLEEP);
    }

    // ---------------------------------------------------------------- write side

    @Override
    public ApplyResult apply(BillingEvent event) {
        Versioned v = versioned(event);
        return v.subscription() ? applySubscription(event, v) : putVersioned(event, v.key(), v.payload());
    }

    /**
     * The versioned item an event stores, without its trace attributes: its key and its payload. The
     * one place an event becomes an item, for {@link #apply} and {@link #importIntoEmptyTable}.
     */
    private record Versioned(Map<String, AttributeValue> key, Map<String, AttributeValue> payload) {
        boolean subscription() {
            return key.get(SK).s().startsWith(SUB_PREFIX);
        }
    }

    private static Versioned versioned(BillingEvent event) {
        return switch (event) {
            case SubscriptionPurchased p -> subscription(p.accountId(), p.subscriptionId(), p.term().start(),
                    p.term().end(), "PURCHASED");
            case SubscriptionEnded e -> subscription(e.accountId(), e.subscriptionId(), e.start(), e.end(),
                    e.reason().name());
            case FeeAssessed f -> new Versioned(key(accountPk(f.accountId()), FEE_PREFIX + f.month()), feePayload(f));
            case ContactChanged c -> new Versioned(key(accountPk(c.accountId()), CONTACT_SK), contactPayload(c));
        };
    }

    private static Versioned subscription(String accountId, String subscriptionId, LocalDate start, LocalDate end,
            String status) {
        Map<String, AttributeValue> payload = new LinkedHashMap<>();
        payload.put("accountId", s(accountId));
        payload.put("subscriptionId", s(subscriptionId));
        payload.put("start", s(start.toString()));
        payload.put("end", s(end.toString()));
        payload.put("status", s(status));
        return new Versioned(key(accountPk(accountId), SUB_PREFIX + subscriptionId), payload);
    }

    /** The whole versioned item as stored: key, payload and the event's trace (version, ids, detail type). */
    private static Map<String, AttributeValue> storedItem(BillingEvent event, Map<String, AttributeValue> key,
            Map<String, AttributeValue> payload) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.putAll(payload);
        item.putAll(trace(event));
        return item;
    }

    /** The month-membership item of a subscription whose term touches {@code month}. */
    private static Map<String, AttributeValue> memberItem(YearMonth month, String accountId, String subscriptionId) {
        return indexItem(memberKey(month, accountId, subscriptionId), accountId, subscriptionId);
    }

    private static Map<String, AttributeValue> memberKey(YearMonth month, String accountId, String subscriptionId) {
        return key(MONTH_PREFIX + month, accountId + "#" + subscriptionId);
    }

    /** The term-end item of a subscription whose term ends on {@code end}. */
    private static Map<String, AttributeValue> termEndItem(LocalDate end, String accountId, String subscriptionId) {
        return indexItem(termEndKey(end, accountId, subscriptionId), accountId, subscriptionId);
    }

    private static Map<String, AttributeValue> termEndKey(LocalDate end, String accountId, String subscriptionId) {
        return key(TERM_END_PK, end + "#" + accountId + "#" + subscriptionId);
    }

    /** An index item (membership or term end): its key and the subscription it points at. */
    private static Map<String, AttributeValue> indexItem(Map<String, AttributeValue> key, String accountId,
            String subscriptionId) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("accountId", s(accountId));
        item.put("subscriptionId", s(subscriptionId));
        return item;
    }

    private static Map<String, AttributeValue> feePayload(FeeAssessed f) {
        MonthlyFee fee = f.fee();
        Map<String, AttributeValue> p = new LinkedHashMap<>();
        p.put("accountId", s(f.accountId()));
        p.put("month", s(f.month().toString()));
        p.put("amount", s(fee.amount().toDecimalString()));
        p.put("voucherPaid", s(fee.voucherPaid().toDecimalString()));
        p.put("currency", s(fee.amount().currency().getCurrencyCode()));
        return p;
    }

    private static Map<String, AttributeValue> contactPayload(ContactChanged c) {
        Map<String, AttributeValue> p = new LinkedHashMap<>();
        p.put("accountId", s(c.accountId()));
        p.put("email", s(c.email()));
        c.locale().ifPresent(l -> p.put("locale", s(l.toLanguageTag())));
        return p;
    }

    /** One conditional put: 1 request whatever the outcome. */
    private ApplyResult putVersioned(BillingEvent event, Map<String, AttributeValue> key,
            Map<String, AttributeValue> payload) {
        try {
            dynamo.putItem(PutItemRequest.builder()
                    .tableName(table)
                    .item(storedItem(event, key, payload))
                    .conditionExpression("attribute_not_exists(#v) OR #v < :v")
                    .expressionAttributeNames(Map.of("#v", BILLING_VERSION))
                    .expressionAttributeValues(Map.of(":v", n(event.billingVersion())))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build());
            return ApplyResult.applied(event.billingVersion());
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> stored = e.hasItem() && !e.item().isEmpty() ? e.item() : getConsistent(key);
            return notNewer(event, stored, payload);
        }
    }

    /** The event is not newer than {@code stored}: a replay, a late (stale) event, or a version conflict. */
    private static ApplyResult notNewer(BillingEvent event, Map<String, AttributeValue> stored,
            Map<String, AttributeValue> payload) {
        long storedVersion = Long.parseLong(stored.get(BILLING_VERSION).n());
        if (storedVersion > event.billingVersion()) {
            return ApplyResult.stale(storedVersion);
        }
        Map<String, AttributeValue> storedPayload = new LinkedHashMap<>();
        Set<String> names = new TreeSet<>(payload.keySet());
        names.addAll(payloadNamesOf(stored));
        boolean same = true;
        for (String name : names) {
            AttributeValue a = stored.get(name);
            if (a != null) {
                storedPayload.put(name, a);
            }
            same &= Objects.equals(a, payload.get(name));
        }
        if (!same) {
            throw new ConflictingBillingEventException(event, render(storedPayload), render(payload));
        }
        return ApplyResult.replay(storedVersion);
    }

    private static Set<String> payloadNamesOf(Map<String, AttributeValue> stored) {
        Set<String> names = new HashSet<>(stored.keySet());
        names.removeAll(Set.of(PK, SK, BILLING_VERSION, "billingId", "eventId", "detailType"));
        return names;
    }

    private static String render(Map<String, AttributeValue> payload) {
        StringBuilder b = new StringBuilder("{");
        new TreeSet<>(payload.keySet()).forEach(k -> b.append(b.length() > 1 ? ", " : "").append(k).append('=')
                .append(payload.get(k).s() != null ? payload.get(k).s() : payload.get(k).toString()));
        return b.append('}').toString();
    }

    /**
     * Optimistic locking: read the subscription (1 GetItem), then write it with its membership and
     * term-end items in one transaction conditioned on the version read (1 TransactWriteItems). A
     * concurrent writer makes the transaction fail; we read again and retry.
     */
    private ApplyResult applySubscription(BillingEvent event, Versioned v) {
        String accountId = event.accountId();
        Map<String, AttributeValue> key = v.key();
        Map<String, AttributeValue> payload = v.payload();
        String subscriptionId = payload.get("subscriptionId").s();
        Optional<Term> newTerm = termOf(payload);

        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> stored = getConsistent(key);
            Optional<Long> storedVersion = stored.isEmpty() ? Optional.empty()
                    : Optional.of(Long.parseLong(stored.get(BILLING_VERSION).n()));
            if (storedVersion.isPresent() && storedVersion.get() >= event.billingVersion()) {
                return notNewer(event, stored, payload);
            }
            Optional<Term> oldTerm = stored.isEmpty() ? Optional.empty() : termOf(stored);

            List<TransactWriteItem> actions = new ArrayList<>();
            Put.Builder put = Put.builder().tableName(table).item(storedItem(event, key, payload))
                    .expressionAttributeNames(Map.of("#v", BILLING_VERSION));
            if (storedVersion.isEmpty()) {
                put.conditionExpression("attribute_not_exists(#v)");
            } else {
                put.conditionExpression("#v = :old").expressionAttributeValues(Map.of(":old", n(storedVersion.get())));
            }
            actions.add(TransactWriteItem.builder().put(put.build()).build());

            Set<YearMonth> oldMonths = months(oldTerm);
            Set<YearMonth> newMonths = months(newTerm);
            for (YearMonth m : newMonths) {
                if (!oldMonths.contains(m)) {
                    actions.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                            .item(memberItem(m, accountId, subscriptionId)).build()).build());
                }
            }
            for (YearMonth m : oldMonths) {
                if (!newMonths.contains(m)) {
                    actions.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                            .key(memberKey(m, accountId, subscriptionId)).build()).build());
                }
            }
            Optional<LocalDate> oldEnd = oldTerm.map(Term::end);
            Optional<LocalDate> newEnd = newTerm.map(Term::end);
            if (!oldEnd.equals(newEnd)) {
                oldEnd.ifPresent(e -> actions.add(TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                        .key(termEndKey(e, accountId, subscriptionId)).build()).build()));
                newEnd.ifPresent(e -> actions.add(TransactWriteItem.builder().put(Put.builder().tableName(table)
                        .item(termEndItem(e, accountId, subscriptionId)).build()).build()));
            }
            try {
                dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(actions).build());
                return ApplyResult.applied(event.billingVersion(), oldTerm);
            } catch (TransactionCanceledException e) {
                if (!lostRace(e)) {
                    throw e;
                }
                // another delivery changed the subscription since we read it: read again
            }
        }
        throw new IllegalStateException("gave up applying " + event.entity() + " v" + event.billingVersion()
                + " after " + MAX_ATTEMPTS + " concurrent modifications; the invocation will be retried");
    }

    private static boolean lostRace(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        for (CancellationReason r : e.cancellationReasons()) {
            String code = r.code();
            if ("ConditionalCheckFailed".equals(code) || "TransactionConflict".equals(code)) {
                return true;
            }
        }
        return false;
    }

    private static Set<YearMonth> months(Optional<Term> term) {
        Set<YearMonth> months = new TreeSet<>();
        term.ifPresent(t -> {
            for (YearMonth m = YearMonth.from(t.start()); !m.isAfter(YearMonth.from(t.end())); m = m.plusMonths(1)) {
                months.add(m);
            }
        });
        return months;
    }

    private static Optional<Term> termOf(Map<String, AttributeValue> sub) {
        LocalDate start = LocalDate.parse(sub.get("start").s());
        LocalDate end = LocalDate.parse(sub.get("end").s());
        return end.isBefore(start) ? Optional.empty() : Optional.of(new Term(start, end));
    }

    private static Map<String, AttributeValue> trace(BillingEvent event) {
        return Map.of(
                BILLING_VERSION, n(event.billingVersion()),
                "billingId", s(event.billingId()),
                "eventId", s(event.eventId()),
                "detailType", s(event.detailType()));
    }

    private Map<String, AttributeValue> getConsistent(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder()
                .tableName(table).key(key).consistentRead(true).build()).item();
        return item == null ? Map.of() : item;
    }

    // ---------------------------------------------------------------- batch import (a fresh table)

    /**
     * Loads billing events into a table that holds nothing yet, with BatchWriteItem (25 puts a
     * request, {@link BatchPuts}) instead of one conditional write or transaction per event: the
     * local runtime's load of an accounts file before anything else runs. The table is left with
     * exactly the items {@link #apply} would leave after applying {@code events} one by one in this
     * order: every event is first folded in memory with apply's rules and its item builders (per
     * entity the item of the highest billing version with that event's trace; the same version
     * with other content is a {@link ConflictingBillingEventException}, thrown before anything is
     * written), then the final versioned items and, for each subscription with a non-empty term,
     * its month-membership items and its term-end item are put.
     *
     * <p>Precondition: the table is empty. One Scan of one item checks it, and a table that holds
     * anything is refused ({@link IllegalStateException}: apply the events one by one instead):
     * an unconditional put would overwrite a newer version, and memberships of a replaced term
     * would stay. The items are not written atomically: a failure (unprocessed items still left
     * after {@link BatchPuts#MAX_ROUNDS} rounds, or an error) leaves part of them, and the table is
     * to be dropped, not loaded again.
     *
     * @return what {@link #apply} would have answered for each event, in order (the replaced term of
     *         an applied subscription event included: what the stale marks of S7.1 need), and what was sent
     */
    public Imported importIntoEmptyTable(List<? extends BillingEvent> events) {
        Map<String, Map<String, AttributeValue>> images = new LinkedHashMap<>();
        List<ApplyResult> results = new ArrayList<>(events.size());
        for (BillingEvent event : events) {
            Versioned v = versioned(event);
            String id = v.key().get(PK).s() + "\u0000" + v.key().get(SK).s();
            Map<String, AttributeValue> stored = images.get(id);
            if (stored != null && Long.parseLong(stored.get(BILLING_VERSION).n()) >= event.billingVersion()) {
                results.add(notNewer(event, stored, v.payload()));
                continue;
            }
            images.put(id, storedItem(event, v.key(), v.payload()));
            results.add(!v.subscription() ? ApplyResult.applied(event.billingVersion())
                    : ApplyResult.applied(event.billingVersion(), stored == null ? Optional.empty() : termOf(stored)));
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (Map<String, AttributeValue> image : images.values()) {
            items.add(image);
            if (image.get(SK).s().startsWith(SUB_PREFIX)) {
                String accountId = image.get("accountId").s();
                String subscriptionId = image.get("subscriptionId").s();
                Optional<Term> term = termOf(image);
                for (YearMonth m : months(term)) {
                    items.add(memberItem(m, accountId, subscriptionId));
                }
                term.ifPresent(t -> items.add(termEndItem(t.end(), accountId, subscriptionId)));
            }
        }
        if (!dynamo.scan(b -> b.tableName(table).limit(1)).items().isEmpty()) {
            throw new IllegalStateException("table " + table + " is not empty: a batch import writes without"
                    + " conditions and would overwrite what is there; apply the events one by one instead");
        }
        int requests = batchPuts.putAll(table, items);
        return new Imported(List.copyOf(results), items.size(), requests);
    }

    /**
     * What {@link #importIntoEmptyTable} did.
     *
     * @param results  what {@link #apply} would have answered for each event, in the events' order
     * @param items    the items put
     * @param requests the BatchWriteItem requests sent (retries of unprocessed items included)
     */
    public record Imported(List<ApplyResult> results, int items, int requests) {
    }

    // ---------------------------------------------------------------- read side (core port)

    /** One Query over the account's items (paged: about 1 request per 1 MB of items). */
    @Override
    public Optional<Account> find(String accountId) {
        String email = null;
        Optional<Locale> locale = Optional.empty();
        List<Term> terms = new ArrayList<>();
        Map<YearMonth, MonthlyFee> fees = new HashMap<>();
        boolean found = false;
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK))
                .expressionAttributeValues(Map.of(":pk", s(accountPk(accountId))))
                .build()).items()) {
            found = true;
            String sk = item.get(SK).s();
            if (sk.equals(CONTACT_SK)) {
                email = item.get("email").s();
                locale = item.containsKey("locale")
                        ? Optional.of(Locale.forLanguageTag(item.get("locale").s())) : Optional.empty();
            } else if (sk.startsWith(SUB_PREFIX)) {
                termOf(item).ifPresent(terms::add);
            } else if (sk.startsWith(FEE_PREFIX)) {
                fees.put(YearMonth.parse(item.get("month").s()), MonthlyFee.of(item.get("amount").s(),
                        item.get("voucherPaid").s(), item.get("currency").s()));
            }
        }
        if (!found) {
            return Optional.empty();
        }
        terms.sort(Comparator.comparing(Term::start).thenComparing(Term::end));
        return Optional.of(new Account(accountId, email, locale, terms, fees));
    }

    /**
     * One Query on the month's membership partition, projected to {@code accountId} (paged). Items
     * sort by {@code account#subscription} and ids hold no '#', so an account's items are adjacent
     * and deduplicating needs no memory.
     */
    @Override
    public void forEachAccountWithServiceIn(YearMonth month, Consumer<String> sink) {
        forEachAccountWithServiceIn(month, Optional.empty(), sink);
    }

    /**
     * The same Query from the cursor on: the key condition {@code sk > after + "$"} skips every item of
     * account {@code after} ({@code after#...}; '$' follows '#') and of the accounts listed before it,
     * so a resumed fan-out reads only what is left (S9.2).
     */
    @Override
    public void forEachAccountWithServiceIn(YearMonth month, Optional<String> after, Consumer<String> sink) {
        String previous = null;
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(MONTH_PREFIX + month)));
        String condition = "#pk = :pk";
        if (after.isPresent()) {
            condition += " AND #sk > :after";
            names.put("#sk", SK);
            values.put(":after", s(after.get() + "$"));
        }
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression(condition)
                .projectionExpression("accountId")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).items()) {
            String accountId = item.get("accountId").s();
            if (!accountId.equals(previous)) {
                sink.accept(accountId);
                previous = accountId;
            }
        }
    }

    /**
     * One range Query on the term-end partition ({@code sk >= date}) lists the subscriptions whose
     * term ends on or after {@code date}, i.e. current and future terms (S6.2); each distinct
     * account is then read with {@link #find}. Remembers the account ids already given.
     */
    @Override
    public void forEachAccountWithTermOnOrAfter(LocalDate date, Consumer<Account> sink) {
        Set<String> seen = new HashSet<>();
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk >= :from")
                .projectionExpression("accountId")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(TERM_END_PK), ":from", s(date.toString())))
                .build()).items()) {
            String accountId = item.get("accountId").s();
            if (seen.add(accountId)) {
                find(accountId).ifPresent(sink);
            }
        }
    }

    /**
     * One Query of the term-end partition ({@code sk >= date}, from {@code after}), {@code limit}
     * entries, projected to {@code accountId}: the change-notice sweep's page (S9.2). The position is
     * the entry's sort key ({@code {end}#{account}#{subscription}}).
     */
    @Override
    public Page pageAccountsWithTermOnOrAfter(LocalDate date, Optional<String> after, int limit) {
        return page(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk >= :from")
                .expressionAttributeValues(Map.of(":pk", s(TERM_END_PK), ":from", s(date.toString())))
                .exclusiveStartKey(after.map(a -> key(TERM_END_PK, a)).orElse(null)), limit);
    }

    /** One Query of the month's membership partition from {@code after}: the eligibility sweep's page (S9.2). */
    @Override
    public Page pageAccountsWithServiceIn(YearMonth month, Optional<String> after, int limit) {
        return page(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk")
                .expressionAttributeValues(Map.of(":pk", s(MONTH_PREFIX + month)))
                .exclusiveStartKey(after.map(a -> key(MONTH_PREFIX + month, a)).orElse(null)), limit);
    }

    private Page page(QueryRequest.Builder query, int limit) {
        QueryResponse response = dynamo.query(query
                .projectionExpression("#sk, accountId")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .limit(limit)
                .build());
        List<String> ids = new ArrayList<>();
        for (Map<String, AttributeValue> item : response.items()) {
            String accountId = item.get("accountId").s();
            if (ids.isEmpty() || !ids.get(ids.size() - 1).equals(accountId)) {
                ids.add(accountId);
            }
        }
        Optional<String> next = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                ? Optional.of(response.lastEvaluatedKey().get(SK).s()) : Optional.empty();
        return new Page(ids, response.items().size(), next);
    }

    /**
     * Count Queries of the term-end partition ({@code Select COUNT}, paged at 1 MB: about one
     * request per 10,000 subscriptions), reading no account.
     */
    @Override
    public long countTermsOnOrAfter(LocalDate date) {
        long n = 0;
        for (QueryResponse page : dynamo.queryPaginator(QueryRequest.builder()
                .tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk >= :from")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(TERM_END_PK), ":from", s(date.toString())))
                .select(Select.COUNT)
                .build())) {
            n += page.count() == null ? 0 : page.count();
        }
        return n;
    }

    // ---------------------------------------------------------------- helpers

    static String accountPk(String accountId) {
        return ACCOUNT_PREFIX + accountId;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
