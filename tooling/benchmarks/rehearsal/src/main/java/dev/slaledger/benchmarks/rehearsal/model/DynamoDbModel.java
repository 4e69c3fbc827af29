package dev.slaledger.benchmarks.rehearsal.model;

import dev.slaledger.core.statement.Statement;
import java.util.List;
import java.util.Map;

/**
 * What each call of a core port costs on DynamoDB: the requests the DynamoDB adapter
 * (adapters/dynamodb) makes for it, with their read and write units, as that adapter is written
 * (each entry names the adapter method it mirrors). The rehearsal charges these against the
 * in-memory twins; {@code ModelAgreementIT}-style runs of the same jobs on moto with the real adapters
 * check the counts (docs/benchmarks.md: requests per account within 10%).
 *
 * <p>Units follow DynamoDB's rules: a read is billed per 4 KB of the items a request returns (rounded up,
 * at least one unit; half for an eventually consistent read, which every index read is); a write per
 * 1 KB of the item (at least one), plus one unit for each index entry it adds, changes or removes;
 * a transaction twice that. Item sizes are those of the adapters' items (measured on moto for the
 * statement: 503 B; a month of 8,928 aggregates: 112 RRU, docs/benchmarks.md).
 */
public final class DynamoDbModel {
    /** A call's cost: one or more requests made before the call returns. */
    public record Cost(List<Request> requests) {
        static Cost of(Request... r) {
            return new Cost(List.of(r));
        }
    }

    /**
     * A streaming call ({@code forEach...}): {@code shards} paged Queries, items of {@code itemBytes}
     * each, {@code perItem} requests more per item given (an adapter that reads each listed account).
     */
    public record Stream(String table, int shards, long itemBytes, boolean consistent, List<Request> perItem) {
    }

    public static final long PAGE_BYTES = 1024 * 1024;
    static final long ACCOUNT_BYTES = 600;
    static final long MEMBERSHIP_BYTES = 90;
    static final long TERM_END_BYTES = 100;
    static final long STATEMENT_BYTES = 600;
    static final long STALE_INDEX_BYTES = 70;
    static final long OUTBOX_INDEX_BYTES = 60;
    static final long TERMS_VERSION_BYTES = 1_500;
    static final long WINDOW_BYTES = 300;
    static final long DELIVERY_BYTES = 250;
    static final long CLAIM_BYTES = 800;
    static final long PROGRESS_BYTES = 120;
    static final long CURSOR_BYTES = 250;
    /** A parked unit of notice work: 25 account ids and the unit's header. */
    static final long PARKED_BYTES = 700;
    /** The shared send schedule: the plan and up to 26 hourly counters. */
    static final long THROTTLE_BYTES = 900;
    /** A forecast item (ForecastJson: about 450 B of document, keys, expiry). */
    static final long FORECAST_BYTES = 600;
    /** A month of 5-minute aggregates of an account with traffic in every interval: 112 RRU (measured). */
    static final double AGGREGATES_MONTH_RRU = 112;
    static final long AGGREGATES_MONTH_BYTES = 112 * 4096;

    public static final String LEDGER = "ledger";
    public static final String ACCOUNTS = "accounts";
    public static final String AGGREGATES = "aggregates";

    private DynamoDbModel() {
    }

    static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? units : units / 2;
    }

    static double writeUnits(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    static Request get(String table, long bytes) {
        return Request.dynamo("GetItem", table, readUnits(bytes, true), 0, bytes);
    }

    static Request query(String table, long bytes, boolean consistent) {
        return Request.dynamo("Query", table, readUnits(bytes, consistent), 0, bytes);
    }

    static Request put(String table, long bytes, int indexWrites) {
        return Request.dynamo("PutItem", table, 0, writeUnits(bytes) + indexWrites, bytes);
    }

    static Request update(String table, long bytes, int indexWrites) {
        return Request.dynamo("UpdateItem", table, 0, writeUnits(bytes) + indexWrites, bytes);
    }

    static Request transact(String table, long... itemBytes) {
        double units = 0;
        long bytes = 0;
        for (long b : itemBytes) {
            units += 2 * writeUnits(b);
            bytes += b;
        }
        return Request.dynamo("TransactWriteItems", table, 0, units, bytes);
    }

    /**
     * The cost of {@code port.method(args)} when it is a single call; null when it is a stream
     * ({@link #stream}); an exception for a method the model does not know (so none is ever free).
     */
    public static Cost cost(String port, String method, Object[] args, Map<String, Integer> sizes) {
        return switch (port + "." + method) {
            // DynamoDbAccountRepository
            case "AccountRepository.find" -> Cost.of(query(ACCOUNTS, ACCOUNT_BYTES, false));
            // DynamoDbStatementRepository
            case "StatementRepository.latest", "StatementRepository.snapshot" ->
                Cost.of(query(LEDGER, STATEMENT_BYTES, true));
            case "StatementRepository.history" -> Cost.of(query(LEDGER, STATEMENT_BYTES * 2, true));
            case "StatementRepository.saveRevision" ->
                Cost.of(put(LEDGER, STATEMENT_BYTES, ((Statement) args[0]).compensable() ? 1 : 0));
            case "StatementRepository.saveVoid" -> Cost.of(put(LEDGER, 80, 0));
            case "StatementRepository.eventPending", "StatementRepository.revision" -> Cost.of(get(LEDGER, STATEMENT_BYTES));
            case "StatementRepository.markEventSent" -> Cost.of(update(LEDGER, STATEMENT_BYTES, 1));
            case "StatementRepository.markStale", "StatementRepository.markMonthStale",
                 "StalenessMarker.markStale", "StalenessMarker.markMonthStale" -> Cost.of(update(LEDGER, 80, 1));
            case "StatementRepository.staleMark", "StatementRepository.monthMark" -> Cost.of(get(LEDGER, 80));
            // S9.7: the month-wide marks' causes, read with the month mark's item (DynamoDbStatementRepository)
            case "StatementRepository.monthCauses" -> Cost.of(get(LEDGER, 400));
            case "StatementRepository.clearStale", "StatementRepository.clearMonthStale" -> Cost.of(update(LEDGER, 80, 1));
            case "StatementRepository.recordMonthDone" -> Cost.of(update(LEDGER, 80, 0));
            // DynamoDbTermsRepository
            case "TermsRepository.published" ->
                Cost.of(query(LEDGER, TERMS_VERSION_BYTES * sizes.getOrDefault("terms", 1), true));
            case "TermsRepository.publish" -> Cost.of(transact(LEDGER, TERMS_VERSION_BYTES, 80));
            // DynamoDbMaintenanceWindowRepository
            // save and delete read the stored item first (its previous version), then put
            case "MaintenanceWindowRepository.save", "MaintenanceWindowRepository.delete" ->
                Cost.of(get(LEDGER, WINDOW_BYTES * 2), put(LEDGER, WINDOW_BYTES * 2, 0));
            case "MaintenanceWindowRepository.find", "MaintenanceWindowRepository.previous" ->
                Cost.of(get(LEDGER, WINDOW_BYTES * 2));
            case "MaintenanceWindowRepository.overlapping" ->
                Cost.of(query(LEDGER, WINDOW_BYTES * Math.max(1, sizes.getOrDefault("windows", 0)), true));
            // DynamoDbNoticeRepository (NoticeRepository and NoticeDeliveries)
            case "NoticeRepository.find", "NoticeDeliveries.stored", "NoticeDeliveries.attempt" ->
                Cost.of(get(LEDGER, DELIVERY_BYTES));
            case "NoticeRepository.recordSent" -> Cost.of(put(LEDGER, DELIVERY_BYTES, 0));
            case "NoticeRepository.sentDates" ->
                Cost.of(query(LEDGER, DELIVERY_BYTES * Math.max(1, sizes.getOrDefault("notices", 1)), true));
            case "NoticeDeliveries.reserve" -> Cost.of(transact(LEDGER, DELIVERY_BYTES, DELIVERY_BYTES));
            case "NoticeDeliveries.complete", "NoticeDeliveries.release", "NoticeDeliveries.markBounced" ->
                Cost.of(update(LEDGER, DELIVERY_BYTES, 0));
            // DynamoDbUndeliverableContacts
            case "UndeliverableContacts.find" -> Cost.of(get(LEDGER, 150));
            case "UndeliverableContacts.mark" -> Cost.of(put(LEDGER, 150, 0));
            // DynamoDbClaimRepository
            case "ClaimRepository.acceptedClaim", "ClaimRepository.find" -> Cost.of(get(LEDGER, CLAIM_BYTES));
            case "ClaimRepository.recordAccepted" -> Cost.of(transact(LEDGER, CLAIM_BYTES + 60, CLAIM_BYTES));
            case "ClaimRepository.recordRefused" -> Cost.of(put(LEDGER, CLAIM_BYTES, 0));
            case "ClaimRepository.acceptedClaims" -> Cost.of(query(LEDGER, CLAIM_BYTES, true));
            case "ClaimRepository.leaseVoucherEvent", "ClaimRepository.releaseVoucherEvent" ->
                Cost.of(update(LEDGER, CLAIM_BYTES, 0));
            case "ClaimRepository.markVoucherEventSent" -> Cost.of(update(LEDGER, CLAIM_BYTES, 1));
            // DynamoDbAggregateRepository: one strongly consistent Query of the range's aggregates (a month:
            // 112 RRU; a shorter range its share, e.g. the forecast's day since its last run)
            case "AggregateRepository.load" -> aggregates((java.time.Instant) args[1], (java.time.Instant) args[2]);
            // DynamoDbForecastRepository (S9.8): the account's forecast state item; save puts the at-risk list's
            // item when the status is not ok (deletes it when it was and is ok now), then the state item
            case "ForecastRepository.find" -> Cost.of(Request.dynamo("GetItem", LEDGER, readUnits(FORECAST_BYTES, false),
                    0, FORECAST_BYTES)); // eventually consistent
            case "ForecastRepository.save" -> forecastSave(args);
            case "ForecastRepository.atRisk", "ForecastRepository.totals" -> Cost.of(query(LEDGER, FORECAST_BYTES, true));
            // DynamoDbAccountRepository listings (S9.2): one Query page of up to `limit` entries
            case "AccountRepository.pageAccountsWithTermOnOrAfter" ->
                Cost.of(query(ACCOUNTS, TERM_END_BYTES * Math.max(1, (int) args[2]), false));
            case "AccountRepository.pageAccountsWithServiceIn" ->
                Cost.of(query(ACCOUNTS, MEMBERSHIP_BYTES * Math.max(1, (int) args[2]), false));
            // Select COUNT over the term-end partition, paged at 1 MB (units are those of the items read)
            case "AccountRepository.countTermsOnOrAfter" -> countPages(ACCOUNTS,
                    TERM_END_BYTES * Math.max(1, sizes.getOrDefault("accounts", 1)));
            // DynamoDbNoticeRepository.records: one Query of the account's partition
            case "NoticeDeliveries.records" ->
                Cost.of(query(LEDGER, DELIVERY_BYTES * Math.max(1, sizes.getOrDefault("notices", 1)), true));
            // DynamoDbNoticeCursors
            case "NoticeCursors.all" ->
                Cost.of(query(LEDGER, CURSOR_BYTES * Math.max(1, sizes.getOrDefault("cursors", 1)), true));
            case "NoticeCursors.find", "NoticeCursors.audience" -> Cost.of(get(LEDGER, CURSOR_BYTES));
            case "NoticeCursors.save", "NoticeCursors.recordAudience" -> Cost.of(put(LEDGER, CURSOR_BYTES, 0));
            // DynamoDbNoticeBacklog (the due index: one Query of at most `max` parked units)
            case "NoticeBacklog.park", "NoticeBacklog.gaveUp" -> Cost.of(put(LEDGER, PARKED_BYTES, 1));
            case "NoticeBacklog.due" ->
                Cost.of(query(LEDGER, PARKED_BYTES * Math.max(1, sizes.getOrDefault("parked", 1)), true));
            case "NoticeBacklog.remove" -> Cost.of(Request.dynamo("DeleteItem", LEDGER, 0,
                    writeUnits(PARKED_BYTES) + 1, PARKED_BYTES));
            // DynamoDbSendThrottle: configure reads then updates; usage reads; acquire is one conditional
            // UpdateItem on the item last seen (a lost race, re-read from the failure, is not modeled)
            case "SendThrottle.configure" -> Cost.of(get(LEDGER, THROTTLE_BYTES), update(LEDGER, THROTTLE_BYTES, 0));
            case "SendThrottle.usage" -> Cost.of(get(LEDGER, THROTTLE_BYTES));
            case "SendThrottle.acquire" -> Cost.of(update(LEDGER, THROTTLE_BYTES, 0));
            // DynamoDbJobProgress
            case "JobProgress.progress" -> Cost.of(get(LEDGER, PROGRESS_BYTES));
            case "JobProgress.checkpoint", "JobProgress.complete" -> Cost.of(update(LEDGER, PROGRESS_BYTES, 0));
            default -> null;
        };
    }

    /** The aggregates of {@code [from, to)}: a month's bytes in proportion (at most a month), 1 MB a page. */
    private static Cost aggregates(java.time.Instant from, java.time.Instant to) {
        double share = Math.min(1, Math.max(0, java.time.Duration.between(from, to).getSeconds() / (31 * 86_400.0)));
        long bytes = (long) Math.ceil(share * AGGREGATES_MONTH_BYTES);
        if (bytes >= AGGREGATES_MONTH_BYTES) {
            return Cost.of(Request.dynamo("Query", AGGREGATES, AGGREGATES_MONTH_RRU, 0, AGGREGATES_MONTH_BYTES));
        }
        return Cost.of(query(AGGREGATES, Math.max(1, bytes), true));
    }

    private static Cost forecastSave(Object[] args) {
        var forecast = (dev.slaledger.core.forecast.AccountForecast) args[0];
        @SuppressWarnings("unchecked")
        var previous = (java.util.Optional<dev.slaledger.core.forecast.AccountForecast>) args[1];
        boolean listed = forecast.status() != dev.slaledger.core.forecast.ForecastStatus.OK;
        boolean wasListed = previous.map(p -> p.status() != dev.slaledger.core.forecast.ForecastStatus.OK).orElse(false);
        if (listed) {
            return Cost.of(put(LEDGER, FORECAST_BYTES, 0), put(LEDGER, FORECAST_BYTES, 0));
        }
        if (wasListed) {
            return Cost.of(Request.dynamo("DeleteItem", LEDGER, 0, writeUnits(FORECAST_BYTES), FORECAST_BYTES),
                    put(LEDGER, FORECAST_BYTES, 0));
        }
        return Cost.of(put(LEDGER, FORECAST_BYTES, 0));
    }

    /** A paged Select COUNT Query over {@code bytes} of items: one request per 1 MB read. */
    private static Cost countPages(String table, long bytes) {
        List<Request> pages = new java.util.ArrayList<>();
        for (long left = bytes; left > 0 || pages.isEmpty(); left -= PAGE_BYTES) {
            pages.add(query(table, Math.min(Math.max(left, 1), PAGE_BYTES), false));
        }
        return new Cost(pages);
    }

    /** The stream cost of {@code port.method}, or null when it is not a stream. */
    public static Stream stream(String port, String method) {
        return switch (port + "." + method) {
            // one Query (paged) of the month's membership partition, eventually consistent
            case "AccountRepository.forEachAccountWithServiceIn" ->
                new Stream(ACCOUNTS, 1, MEMBERSHIP_BYTES, false, List.of());
            // one range Query (paged) of the term-end partition, then find() (one Query) per account
            case "AccountRepository.forEachAccountWithTermOnOrAfter" ->
                new Stream(ACCOUNTS, 1, TERM_END_BYTES, false, List.of(query(ACCOUNTS, ACCOUNT_BYTES, false)));
            // the sparse stale index: one Query per shard (16), eventually consistent
            case "StatementRepository.forEachStale" -> new Stream(LEDGER, 16, STALE_INDEX_BYTES, false, List.of());
            // the sparse outbox index: one Query per shard of the kind (4)
            case "StatementRepository.forEachPendingEvent", "ClaimRepository.forEachPendingVoucherEvent" ->
                new Stream(LEDGER, 4, OUTBOX_INDEX_BYTES, false, List.of());
            default -> null;
        };
    }
}
