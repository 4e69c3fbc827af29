package dev.slaledger.adapter.dynamodb;

import static dev.slaledger.adapter.dynamodb.Attr.key;
import static dev.slaledger.adapter.dynamodb.Attr.s;

import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Published terms versions (D5) in the Ledger table under partition {@code TERMS}, sorted by
 * publication sequence. When nothing is published yet, the original terms given at
 * construction (the default terms, or the provider's own) are the only version.
 */
public final class DynamoDbTermsRepository implements TermsRepository {
    private static final String PARTITION = "TERMS";

    private final DynamoDbClient dynamo;
    private final String table;
    private final TermsVersion original;

    public DynamoDbTermsRepository(DynamoDbClient dynamo, String table, TermsVersion original) {
        this.dynamo = dynamo;
        this.table = table;
        this.original = original;
    }

    @Override
    public List<TermsVersion> published() {
        List<TermsVersion> out = new ArrayList<>();
        out.add(original);
        for (Map<String, AttributeValue> item : LedgerTable.partition(dynamo, table, PARTITION)) {
            TermsVersion v = TermsParser.parse(Attr.string(item, "doc"));
            if (!v.version().equals(original.version())) {
                out.add(v);
            }
        }
        return out;
    }

    @Override
    public boolean publish(TermsVersion version) {
        if (version.version().equals(original.version())) {
            return false;
        }
        int sequence = published().size();
        Map<String, AttributeValue> item = key(PARTITION, String.format("V%06d", sequence));
        item.put("version", s(version.version()));
        item.put("doc", s(TermsParser.toJson(version)));
        Map<String, AttributeValue> guard = key("TERMSID#" + version.version(), "TERMSID");
        try {
            dynamo.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(pk)").build()).build(),
                    TransactWriteItem.builder().put(Put.builder().tableName(table).item(guard)
                            .conditionExpression("attribute_not_exists(pk)").build()).build()));
            return true;
        } catch (TransactionCanceledException exists) {
            return false;
        }
    }
}
