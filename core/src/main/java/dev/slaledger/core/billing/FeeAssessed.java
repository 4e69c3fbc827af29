package dev.slaledger.core.billing;

import dev.slaledger.core.money.MonthlyFee;
import java.time.YearMonth;

/**
 * The monthly service fee of {@code accountId} for {@code month} and the part of it paid with
 * vouchers (S4.2, D2). A later version for the same account-month is a correction and replaces it.
 */
public record FeeAssessed(String eventId, String billingId, long billingVersion, String accountId,
        YearMonth month, MonthlyFee fee) implements BillingEvent {

    public static final String DETAIL_TYPE = "FeeAssessed";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }

    @Override
    public String entity() {
        return "fee " + accountId + "/" + month;
    }
}
