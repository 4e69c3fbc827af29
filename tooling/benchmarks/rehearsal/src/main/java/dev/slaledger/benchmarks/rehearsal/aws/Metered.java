package dev.slaledger.benchmarks.rehearsal.aws;

import dev.slaledger.benchmarks.rehearsal.model.DynamoDbModel;
import dev.slaledger.benchmarks.rehearsal.model.Request;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A core port on its in-memory twin, charged per DynamoDB request as {@link DynamoDbModel} says the
 * DynamoDB adapter makes them: the caller waits each request's modeled latency and the request is
 * counted against its job; a {@code forEach...} stream is paged (one Query per 1 MB of items and per
 * shard) and charges what the adapter reads per item. The twin answers as the table would.
 *
 * <p>A stream's items are taken from the twin first and then handed to the caller page by page, so
 * no process ever waits while it holds a twin's lock.
 */
public final class Metered {
    private Metered() {
    }

    /**
     * @param sizes how many items a result-dependent read returns (terms versions, windows, an
     *              account's notices), by the name {@link DynamoDbModel} asks for
     */
    @SuppressWarnings("unchecked")
    public static <T> T wrap(Class<T> port, T twin, Aws aws, Function<Object[], Map<String, Integer>> sizes) {
        String portName = port.getSimpleName();
        return (T) Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return invoke(twin, method, args);
            }
            Object[] a = args == null ? new Object[0] : args;
            DynamoDbModel.Stream stream = DynamoDbModel.stream(portName, method.getName());
            if (stream != null) {
                return stream(stream, twin, method, a, aws);
            }
            DynamoDbModel.Cost cost = DynamoDbModel.cost(portName, method.getName(), a,
                    sizes.apply(a));
            if (cost == null) {
                throw new UnsupportedOperationException("the rehearsal's DynamoDB model has no cost for "
                        + portName + "." + method.getName() + ": add it to DynamoDbModel, mirroring the adapter");
            }
            List<Request> requests = cost.requests();
            for (int i = 0; i < requests.size() - 1; i++) {
                aws.call(requests.get(i), () -> { });
            }
            return aws.call(requests.get(requests.size() - 1), () -> invoke(twin, method, a));
        });
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object stream(DynamoDbModel.Stream stream, Object twin, Method method, Object[] args, Aws aws) {
        int sinkIndex = args.length - 1;
        Object sink = args[sinkIndex];
        List<Object[]> items = new ArrayList<>();
        Object[] collecting = args.clone();
        if (sink instanceof BiConsumer) {
            collecting[sinkIndex] = (BiConsumer) (x, y) -> items.add(new Object[] {x, y});
        } else {
            collecting[sinkIndex] = (Consumer) x -> items.add(new Object[] {x});
        }
        invoke(twin, method, collecting);
        long perPage = Math.max(1, DynamoDbModel.PAGE_BYTES / stream.itemBytes());
        // every shard is read at least once (an empty shard answers an empty page)
        long pages = Math.max(stream.shards(), (items.size() + perPage - 1) / perPage);
        long itemsLeft = items.size();
        int next = 0;
        for (long p = 0; p < pages; p++) {
            long onPage = Math.min(itemsLeft, perPage);
            long bytes = onPage * stream.itemBytes();
            aws.call(Request.dynamo("Query", stream.table(), readUnits(bytes, stream.consistent()), 0, bytes), () -> { });
            for (long i = 0; i < onPage; i++, next++) {
                for (Request extra : stream.perItem()) {
                    aws.call(extra, () -> { });
                }
                Object[] item = items.get(next);
                if (sink instanceof BiConsumer b) {
                    b.accept(item[0], item[1]);
                } else {
                    ((Consumer) sink).accept(item[0]);
                }
            }
            itemsLeft -= onPage;
        }
        return null;
    }

    private static double readUnits(long bytes, boolean consistent) {
        double units = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? units : units / 2;
    }

    private static Object invoke(Object target, Method method, Object[] args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
