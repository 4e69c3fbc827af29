package dev.slaledger.local;

import dev.slaledger.core.claim.Claim;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.port.StatementEvents;
import dev.slaledger.core.port.VoucherEvents;
import dev.slaledger.core.statement.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The events the handlers put on the bus ({@code StatementCompensable}, {@code VoucherIssued}) as
 * they reached the billing queue through the BillingOutbound rule on moto ({@link BusEvents}
 * records each after its delivery), kept in memory and printed.
 */
public final class EventRecorder implements StatementEvents, VoucherEvents {
    public record Recorded(String detailType, String accountId, String month, String detail) {
    }

    private final List<Recorded> events = new ArrayList<>();
    private final Consumer<String> out;

    public EventRecorder(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public synchronized void compensableStatement(Statement s) {
        record(new Recorded("StatementCompensable", s.accountId(), s.month().toString(),
                "revision " + s.revision() + ", " + s.compensationPercent().toPlainString() + "%, voucher "
                        + s.voucherAmount().map(Money::toString).orElse("(no fee yet)")));
    }

    @Override
    public synchronized void voucherIssued(Claim claim) {
        record(new Recorded("VoucherIssued", claim.accountId(), claim.month().toString(),
                "claim " + claim.claimId() + ", voucher "
                        + claim.decision().voucher().map(Money::toString).orElse("-")));
    }

    private void record(Recorded e) {
        events.add(e);
        out.accept("  [event bus, BillingOutbound -> billing queue] " + e.detailType() + " " + e.accountId() + " " + e.month()
                + ": " + e.detail());
    }

    public synchronized List<Recorded> events() {
        return List.copyOf(events);
    }

    public synchronized long count(String detailType) {
        return events.stream().filter(e -> e.detailType().equals(detailType)).count();
    }
}
