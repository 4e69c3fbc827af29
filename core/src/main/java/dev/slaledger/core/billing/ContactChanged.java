package dev.slaledger.core.billing;

import java.util.Locale;
import java.util.Optional;

/** Where and in which language the account's SLA notices go (S6.2). */
public record ContactChanged(String eventId, String billingId, long billingVersion, String accountId,
        String email, Optional<Locale> locale) implements BillingEvent {

    public static final String DETAIL_TYPE = "ContactChanged";

    @Override
    public String detailType() {
        return DETAIL_TYPE;
    }

    @Override
    public String entity() {
        return "contact " + accountId;
    }
}
