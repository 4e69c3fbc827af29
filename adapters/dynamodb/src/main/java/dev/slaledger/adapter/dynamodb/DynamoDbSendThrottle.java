package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.n;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.notice.SendPlan;
import dev.slaledger.core.notice.SendSlots;
import dev.slaledger.core.port.SendThrottle;
import dev.slaledger.core.port.SendingQuota;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The shared send schedule (S9.3) as one item of the Ledger table, {@code NOTICESEND} /
 * {@code THROTTLE}: the plan of the current run ({@code rate}, {@code interval} in microseconds,
 * {@code hourCap}, the quota as read, {@code planId}), {@code tat} (the next free slot, epoch
 * microseconds, {@link SendSlots}) and one counter {@code h{epochHour}} of slots granted per clock
 * hour (UTC) of the last 25 hours.
 *
 * <p>A slot is one conditional UpdateItem, with no read before it: either "the schedule is idle"
 * ({@code tat <= now}: tat = now + interval) or "it is busy but within the horizon"
 * ({@code now < tat <= now + horizon}: tat = tat + interval, the slot is the old tat), both adding
 * one to this hour's counter on condition it stays within {@code hourCap}, and on the plan the
 * sender last saw ({@code planId}). Concurrent senders of the second form never invalidate each
 * other (the update is relative); a failed condition returns the item as it is
 * ({@code ALL_OLD}), from which the sender learns to wait, to defer, or which form to use, and tries
 * again. The combined rate of all senders is that of the schedule whatever their number; a
 * configure from a new run changes planId, so nobody grants on an old plan.
 */
public final class DynamoDbSendThrottle implements SendThrottle {
    static final String PK = "NOTICESEND";
    static final String SK = "THROTTLE";
    private static final String HOUR_PREFIX = "h";
    private static final int MAX_TRIES = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    /** The item as last seen (a hint: every write is conditioned on what it needs). */
    private Map<String, AttributeValue> seen;
    private long requests;

    public DynamoDbSendThrottle(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    private Map<String, AttributeValue> read() {
        requests++;
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(PK, SK))
                .consistentRead(true)).item();
        return item == null ? Map.of() : item;
    }

    @Override
    public synchronized void configure(SendPlan plan) {
        Map<String, AttributeValue> item = read();
        long oldest = SendSlots.hour(plan.readAt()) - SendPlan.WINDOW_HOURS;
        List<String> stale = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (String name : item.keySet()) {
            if (isHour(name) && Long.parseLong(name.substring(1)) < oldest) {
                String alias = "#old" + stale.size();
                stale.add(alias);
                names.put(alias, name);
            }
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":rate", s(plan.ratePerSecond().toPlainString()));
        values.put(":interval", n(plan.intervalMicros()));
        values.put(":cap", n(plan.hourCap()));
        values.put(":daily", n(plan.daily()));
        values.put(":others", n(plan.others()));
        values.put(":slack", n(plan.slack()));
        values.put(":maxRate", s(plan.quota().maxSendRate().toPlainString()));
        values.put(":max24", n(plan.quota().max24HourSend()));
        values.put(":sent24", n(plan.quota().sentLast24Hours()));
        values.put(":readAt", s(plan.readAt().toString()));
        values.put(":planId", n(SendSlots.micros(plan.readAt())));
        // every name through an alias: some (rate, others...) may be DynamoDB reserved words
        String[][] fields = {{"rate", ":rate"}, {"interval", ":interval"}, {"hourCap", ":cap"}, {"daily", ":daily"},
            {"others", ":others"}, {"slack", ":slack"}, {"maxSendRate", ":maxRate"}, {"max24HourSend", ":max24"},
            {"sentLast24Hours", ":sent24"}, {"readAt", ":readAt"}, {"planId", ":planId"}};
        List<String> sets = new ArrayList<>();
        for (String[] f : fields) {
            names.put("#" + f[0], f[0]);
            sets.add("#" + f[0] + " = " + f[1]);
        }
        String update = "SET " + String.join(", ", sets) + (stale.isEmpty() ? "" : " REMOVE " + String.join(", ", stale));
        requests++;
        seen = dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(PK, SK))
                .updateExpression(update).expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW).build()).attributes();
    }

    @Override
    public synchronized Usage usage(Instant now) {
        Map<String, AttributeValue> item = read();
        seen = item;
        long hour = SendSlots.hour(now);
        long thisHour = 0;
        long last24 = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            if (isHour(e.getKey())) {
                long h = Long.parseLong(e.getKey().substring(1));
                long count = Long.parseLong(e.getValue().n());
                if (h == hour) {
                    thisHour = count;
                }
                if (h > hour - 24 && h <= hour) {
                    last24 += count;
                }
            }
        }
        return new Usage(plan(item), thisHour, last24);
    }

    @Override
    public synchronized Answer acquire(int count, Instant now) {
        Map<String, AttributeValue> item = seen == null ? read() : seen;
        long nowMicros = SendSlots.micros(now);
        long hour = SendSlots.hour(now);
        String hourName = HOUR_PREFIX + hour;
        for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
            Optional<SendPlan> plan = plan(item);
            if (plan.isEmpty()) {
                return new Exhausted(now.plus(Duration.ofHours(1)), "no send plan configured yet");
            }
            long tat = item.containsKey("tat") ? Long.parseLong(item.get("tat").n()) : 0;
            long used = item.containsKey(hourName) ? Long.parseLong(item.get(hourName).n()) : 0;
            SendSlots.Decision d = SendSlots.decide(plan.get(), tat, used, count, now);
            if (d instanceof SendSlots.HourFull f) {
                seen = item;
                return new Exhausted(f.nextHour(), "this hour's share of the quota (" + plan.get().hourCap()
                        + ") is used");
            }
            if (d instanceof SendSlots.WaitUntil w) {
                seen = item;
                return new Wait(SendSlots.instant(w.micros()));
            }
            long interval = plan.get().intervalMicros();
            long span = count * interval;
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":now", n(nowMicros));
            values.put(":k", n(count));
            values.put(":zero", n(0));
            values.put(":capMinusK", n(plan.get().hourCap() - count));
            values.put(":planId", item.get("planId"));
            boolean idle = tat <= nowMicros;
            String update;
            String condition;
            if (idle) {
                values.put(":newTat", n(nowMicros + span));
                update = "SET #tat = :newTat, #h = if_not_exists(#h, :zero) + :k";
                condition = "(attribute_not_exists(#tat) OR #tat <= :now)";
            } else {
                values.put(":span", n(span));
                values.put(":maxTat", n(nowMicros + SendPlan.HORIZON.toNanos() / 1000));
                update = "SET #tat = #tat + :span, #h = if_not_exists(#h, :zero) + :k";
                condition = "#tat > :now AND #tat <= :maxTat";
            }
            condition += " AND (attribute_not_exists(#h) OR #h <= :capMinusK) AND #planId = :planId";
            try {
                requests++;
                UpdateItemResponse r = dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(key(PK, SK))
                        .updateExpression(update).conditionExpression(condition)
                        .expressionAttributeNames(Map.of("#h", hourName, "#tat", "tat", "#planId", "planId"))
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW)
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build());
                seen = r.attributes();
                long newTat = Long.parseLong(seen.get("tat").n());
                return new Granted(count, SendSlots.instant(newTat - span), Duration.ofNanos(interval * 1000));
            } catch (ConditionalCheckFailedException e) {
                item = e.hasItem() && !e.item().isEmpty() ? e.item() : read();
            }
        }
        seen = item;
        return new Wait(now.plus(Duration.ofNanos(Math.max(1, plan(item).map(SendPlan::intervalMicros).orElse(1000L))
                * 1000)));
    }

    /** DynamoDB requests this instance made (they are the bill). */
    public synchronized long requests() {
        return requests;
    }

    private static boolean isHour(String name) {
        return name.length() > 1 && name.startsWith(HOUR_PREFIX) && name.chars().skip(1).allMatch(Character::isDigit);
    }

    private static Optional<SendPlan> plan(Map<String, AttributeValue> item) {
        if (item == null || !item.containsKey("planId")) {
            return Optional.empty();
        }
        SendingQuota.Quota quota = new SendingQuota.Quota(new BigDecimal(Attr.string(item, "maxSendRate")),
                Attr.number(item, "max24HourSend"), Attr.number(item, "sentLast24Hours"));
        return Optional.of(new SendPlan(new BigDecimal(Attr.string(item, "rate")), Attr.number(item, "interval"),
                Attr.number(item, "hourCap"), Attr.number(item, "daily"), Attr.number(item, "others"),
                Attr.number(item, "slack"), quota, Instant.parse(Attr.string(item, "readAt"))));
    }
}
