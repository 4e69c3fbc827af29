package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastJson;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.port.ForecastRepository;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The liability forecasts (S9.8) in the Ledger table, beside the statements:
 *
 * <pre>
 * pk                            sk         what
 * FC#{account}#{yyyy-MM}        STATE      the account's latest forecast of the month (ForecastJson in "doc"):
 *                                          one GetItem and one PutItem per account and run, on its own partition
 * FCRISK#{yyyy-MM}#{shard}      {account}  an account whose month is at risk or compensable, with its latest
 *                                          forecast: written with it while it is so, deleted when it is ok
 *                                          again; {@value #SHARDS} shards by account
 * </pre>
 * Both expire (TTL {@code expiresAt}) {@link #KEPT} after their month ends. The at-risk list holds
 * only the accounts the provider should look at, so listing it costs what it holds, not the number of
 * accounts; its shards spread the writes of a day when many accounts change at once.
 */
public final class DynamoDbForecastRepository implements ForecastRepository {
    static final String STATE = "STATE";
    static final int SHARDS = 8;
    /** How long after its month a forecast is kept (the statement is what counts afterwards). */
    static final Duration KEPT = Duration.ofDays(100);

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbForecastRepository(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo);
        this.table = Objects.requireNonNull(table);
    }

    static String statePk(String accountId, YearMonth month) {
        return "FC#" + accountId + "#" + month;
    }

    static String riskPk(YearMonth month, int shard) {
        return "FCRISK#" + month + "#" + shard;
    }

    static int shard(String accountId) {
        return Math.floorMod(accountId.hashCode(), SHARDS);
    }

    private static AttributeValue expiresAt(YearMonth month) {
        return n(month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).plus(KEPT).getEpochSecond());
    }

    /** One eventually consistent GetItem: only this account's own run writes its state, a day before. */
    @Override
    public Optional<AccountForecast> find(String accountId, YearMonth month) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(key(statePk(accountId, month), STATE))).item();
        return item == null || !item.containsKey("doc") ? Optional.empty()
                : Optional.of(ForecastJson.fromJson(Attr.string(item, "doc")));
    }

    @Override
    public void save(AccountForecast forecast, Optional<AccountForecast> previous) {
        String doc = ForecastJson.toJson(forecast);
        boolean listed = forecast.status() != ForecastStatus.OK;
        boolean wasListed = previous.map(p -> p.status() != ForecastStatus.OK).orElse(false);
        Map<String, AttributeValue> riskKey = key(riskPk(forecast.month(), shard(forecast.accountId())),
                forecast.accountId());
        if (listed) { // the list first: a run that dies after it writes it again
            Map<String, AttributeValue> item = new HashMap<>(riskKey);
            item.put("status", s(forecast.status().wireName()));
            item.put("doc", s(doc));
            item.put("expiresAt", expiresAt(forecast.month()));
            dynamo.putItem(b -> b.tableName(table).item(item));
        } else if (wasListed) {
            dynamo.deleteItem(b -> b.tableName(table).key(riskKey));
        }
        Map<String, AttributeValue> state = key(statePk(forecast.accountId(), forecast.month()), STATE);
        state.put("doc", s(doc));
        state.put("expiresAt", expiresAt(forecast.month()));
        dynamo.putItem(b -> b.tableName(table).item(state));
    }

    /**
     * The list's shards in order, each read with its own Query (paged by DynamoDB), the status a
     * filter. The cursor is {@code <shard>.<base64url of the last account listed>}.
     */
    @Override
    public Page atRisk(YearMonth month, Optional<ForecastStatus> status, Optional<String> cursor, int limit) {
        int shard = 0;
        String after = null;
        if (cursor.isPresent()) {
            String[] parts = cursor.get().split("\\.", 2);
            try {
                shard = Integer.parseInt(parts[0]);
                after = parts.length == 2 && !parts[1].isEmpty()
                        ? new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8) : null;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a cursor of this list: " + cursor.get());
            }
            if (shard < 0 || shard >= SHARDS || after == null) {
                throw new IllegalArgumentException("not a cursor of this list: " + cursor.get());
            }
        }
        List<AccountForecast> page = new ArrayList<>();
        for (; shard < SHARDS; shard++, after = null) {
            Map<String, AttributeValue> start = after == null ? null : key(riskPk(month, shard), after);
            do {
                QueryRequest.Builder q = QueryRequest.builder().tableName(table)
                        .keyConditionExpression("pk = :pk")
                        .limit(limit - page.size() + 1)
                        .exclusiveStartKey(start);
                Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk", s(riskPk(month, shard))));
                if (status.isPresent()) {
                    q.filterExpression("#status = :status").expressionAttributeNames(Map.of("#status", "status"));
                    values.put(":status", s(status.get().wireName()));
                }
                QueryResponse response = dynamo.query(q.expressionAttributeValues(values).build());
                for (Map<String, AttributeValue> item : response.items()) {
                    if (page.size() == limit) {
                        String last = page.get(page.size() - 1).accountId();
                        return new Page(page, Optional.of(shard(last) + "."
                                + Base64.getUrlEncoder().withoutPadding()
                                        .encodeToString(last.getBytes(StandardCharsets.UTF_8))));
                    }
                    page.add(ForecastJson.fromJson(Attr.string(item, "doc")));
                }
                start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
            } while (start != null);
        }
        return new Page(page, Optional.empty());
    }

    /** Every shard of the list: what it costs is what the list holds. */
    @Override
    public Totals totals(YearMonth month) {
        Map<ForecastStatus, Long> accounts = new EnumMap<>(ForecastStatus.class);
        Map<Currency, BigDecimal> liability = new TreeMap<>(java.util.Comparator.comparing(Currency::getCurrencyCode));
        for (int shard = 0; shard < SHARDS; shard++) {
            QueryRequest query = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", s(riskPk(month, shard))))
                    .build();
            for (QueryResponse response : dynamo.queryPaginator(query)) {
                for (Map<String, AttributeValue> item : response.items()) {
                    AccountForecast f = ForecastJson.fromJson(Attr.string(item, "doc"));
                    accounts.merge(f.status(), 1L, Long::sum);
                    f.certainVoucher().ifPresent(v -> liability.merge(v.currency(), v.amount(), BigDecimal::add));
                }
            }
        }
        return new Totals(accounts, liability);
    }
}
