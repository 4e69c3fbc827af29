package dev.slaledger.adapter.eventbridge;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.json.PlainJson;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.port.VoucherEvents;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Tells billing about an issued voucher on the system's EventBridge bus: source
 * {@code sla-ledger}, detail-type {@code VoucherIssued}, detail {@code claimId}, {@code accountId},
 * {@code month}, {@code amount}, {@code currency}, {@code statementRevision}, {@code issuedAt}.
 * Delivery is at least once; billing deduplicates on {@code claimId}. The detail is written as plain values
 * ({@link PlainJson}, no databind: the outbox sweep has nothing else that needs it).
 */
public final class EventBridgeVoucherEvents implements VoucherEvents {
    public static final String SOURCE = SystemBus.SOURCE;
    public static final String DETAIL_TYPE = "VoucherIssued";

    private final SystemBus bus;

    public EventBridgeVoucherEvents(EventBridgeClient events, String busName) {
        this(() -> events, busName);
    }

    /** The same on a client built when the first event is put (a function that announces on few invocations). */
    public EventBridgeVoucherEvents(Supplier<EventBridgeClient> events, String busName) {
        this.bus = new SystemBus(events, busName);
    }

    static String detail(Claim claim) {
        Money voucher = claim.decision().voucher().orElseThrow(
                () -> new IllegalArgumentException("claim " + claim.claimId() + " issued no voucher"));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("claimId", claim.claimId());
        d.put("accountId", claim.accountId());
        d.put("month", claim.month().toString());
        d.put("amount", voucher.toDecimalString());
        d.put("currency", voucher.currency().getCurrencyCode());
        d.put("statementRevision", claim.decision().statementRevision().orElseThrow());
        d.put("issuedAt", claim.requestedAt().toString());
        return PlainJson.write(d);
    }

    @Override
    public void voucherIssued(Claim claim) {
        bus.put(DETAIL_TYPE, detail(claim), "VoucherIssued event of claim " + claim.claimId());
    }
}
