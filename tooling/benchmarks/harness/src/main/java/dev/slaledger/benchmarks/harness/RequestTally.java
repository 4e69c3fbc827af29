package dev.slaledger.benchmarks.harness;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Counts what an SDK client sends, per {@code Service.Operation}: requests, DynamoDB items returned
 * (Query, Scan, GetItem) with an estimate of their read request units, the size and write units
 * of the items PutItem writes, and SQS messages sent.
 *
 * <p>The read units are estimated from the returned items with DynamoDB's rules (item size = the
 * UTF-8 lengths of attribute names plus values; a Query or Scan is billed its items' total size
 * rounded up to 4 KB, a GetItem its item's, at least one unit; half of it when eventually
 * consistent). It is a lower bound: a projection hides attributes DynamoDB still bills. The local
 * engine's own {@code ConsumedCapacity} is not used: moto reports a constant 1.0 per request.
 */
final class RequestTally implements ExecutionInterceptor {
    /** What one kind of request cost. */
    static final class Line {
        long requests;
        long items;
        double readUnits;
        long messages;
        /** PutItem: the size of the items put (DynamoDB's rule), for the write units. */
        long bytesPut;
        /** PutItem: write units of the items put (1 KB each, rounded up), before any index write. */
        long writeUnits;
    }

    private final Map<String, Line> lines = new TreeMap<>();

    @Override
    public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String key = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Line line = lines.computeIfAbsent(key, k -> new Line());
        line.requests++;
        SdkRequest request = context.request();
        SdkResponse response = context.response();
        if (response instanceof QueryResponse q && request instanceof QueryRequest r) {
            line.items += q.count();
            line.readUnits += units(q.items(), Boolean.TRUE.equals(r.consistentRead()));
        } else if (response instanceof ScanResponse s && request instanceof ScanRequest r) {
            line.items += s.count();
            line.readUnits += units(s.items(), Boolean.TRUE.equals(r.consistentRead()));
        } else if (response instanceof GetItemResponse g && request instanceof GetItemRequest r) {
            boolean found = g.hasItem() && !g.item().isEmpty();
            line.items += found ? 1 : 0;
            line.readUnits += units(found ? List.of(g.item()) : List.of(), Boolean.TRUE.equals(r.consistentRead()));
        } else if (request instanceof PutItemRequest r) {
            long size = itemSize(r.item());
            line.bytesPut += size;
            line.writeUnits += Math.max(1, (size + 1023) / 1024);
        } else if (request instanceof SendMessageBatchRequest b) {
            line.messages += b.entries().size();
        } else if (request instanceof SendMessageRequest) {
            line.messages++;
        }
    }

    synchronized void reset() {
        lines.clear();
    }

    /** A copy of the lines so far, by {@code Service.Operation}. */
    synchronized Map<String, Line> snapshot() {
        Map<String, Line> copy = new TreeMap<>();
        lines.forEach((k, v) -> {
            Line c = new Line();
            c.requests = v.requests;
            c.items = v.items;
            c.readUnits = v.readUnits;
            c.messages = v.messages;
            c.bytesPut = v.bytesPut;
            c.writeUnits = v.writeUnits;
            copy.put(k, c);
        });
        return copy;
    }

    static Line total(Map<String, Line> lines, String servicePrefix) {
        Line t = new Line();
        lines.forEach((k, v) -> {
            if (k.startsWith(servicePrefix)) {
                t.requests += v.requests;
                t.items += v.items;
                t.readUnits += v.readUnits;
                t.messages += v.messages;
                t.bytesPut += v.bytesPut;
                t.writeUnits += v.writeUnits;
            }
        });
        return t;
    }

    private static double units(Collection<Map<String, AttributeValue>> items, boolean consistent) {
        long bytes = 0;
        for (Map<String, AttributeValue> item : items) {
            bytes += itemSize(item);
        }
        long blocks = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? blocks : blocks / 2.0;
    }

    /** DynamoDB's item size: attribute names plus values (numbers approximated as stored). */
    static long itemSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + valueSize(e.getValue());
        }
        return size;
    }

    private static long valueSize(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return numberSize(v.n());
        }
        if (v.b() != null) {
            return v.b().asByteArray().length;
        }
        if (v.bool() != null || Boolean.TRUE.equals(v.nul())) {
            return 1;
        }
        long size = 0;
        if (v.hasSs()) {
            for (String s : v.ss()) {
                size += utf8(s);
            }
            return size;
        }
        if (v.hasNs()) {
            for (String n : v.ns()) {
                size += numberSize(n);
            }
            return size;
        }
        if (v.hasL()) {
            size = 3;
            for (AttributeValue e : v.l()) {
                size += 1 + valueSize(e);
            }
            return size;
        }
        if (v.hasM()) {
            size = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                size += 1 + utf8(e.getKey()) + valueSize(e.getValue());
            }
            return size;
        }
        return 0;
    }

    private static long numberSize(String n) {
        long digits = n.chars().filter(Character::isDigit).count();
        return (digits + 1) / 2 + 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
