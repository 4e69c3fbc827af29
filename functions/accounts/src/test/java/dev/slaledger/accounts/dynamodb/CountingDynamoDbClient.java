package dev.slaledger.accounts.dynamodb;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;

/**
 * Passes every call to the real (moto or LocalStack) client and counts requests per operation, so
 * tests can state what one event costs. Only the operations the adapter uses are forwarded; any
 * other throws (the interface's default), which would show up as a test failure.
 */
final class CountingDynamoDbClient implements DynamoDbClient {
    private final DynamoDbClient delegate;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger transactItems = new AtomicInteger();
    private volatile Runnable beforeNextTransaction;

    CountingDynamoDbClient(DynamoDbClient delegate) {
        this.delegate = delegate;
    }

    private void count(String operation) {
        counts.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Requests per operation since the last reset, e.g. {GetItem=1, TransactWriteItems=1}. */
    Map<String, Integer> counts() {
        Map<String, Integer> snapshot = new TreeMap<>();
        counts.forEach((k, v) -> snapshot.put(k, v.get()));
        return snapshot;
    }

    int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Actions written in transactions since the last reset. */
    int transactItems() {
        return transactItems.get();
    }

    /** Runs {@code action} just before the next TransactWriteItems is sent: a writer that got in between. */
    void beforeNextTransaction(Runnable action) {
        this.beforeNextTransaction = action;
    }

    void reset() {
        counts.clear();
        transactItems.set(0);
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        count("GetItem");
        return delegate.getItem(request);
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        count("PutItem");
        return delegate.putItem(request);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        count("TransactWriteItems");
        Runnable hook = beforeNextTransaction;
        beforeNextTransaction = null;
        if (hook != null) {
            hook.run();
        }
        transactItems.addAndGet(request.transactItems().size());
        return delegate.transactWriteItems(request);
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        count("Query");
        return delegate.query(request);
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        count("Scan");
        return delegate.scan(request);
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        return delegate.createTable(request);
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
