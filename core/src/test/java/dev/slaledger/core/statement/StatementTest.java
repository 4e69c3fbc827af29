package dev.slaledger.core.statement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.period.DateRange;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Issue 29 item 5: a statement from named parts; its D3 JSON is what it was. */
class StatementTest {
    static final Statement COMPENSABLE = Statement.builder()
            .accountId("acme").month(YearMonth.of(2026, 10))
            .periodDays(List.of(new DateRange(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 31))))
            .days(31).intervals(8928)
            .errorRateSum(new BigDecimal("50.0")).availability(new BigDecimal("99.4399"))
            .termsVersion("2026-01").compensationPercent(BigDecimal.TEN)
            .fee(Optional.of(Money.of("1000.00", "EUR"))).voucherPaid(Optional.of(Money.of("100.00", "EUR")))
            .base(Optional.of(Money.of("900.00", "EUR"))).voucherAmount(Optional.of(Money.of("90.00", "EUR")))
            .currency(Optional.of(Currency.getInstance("EUR")))
            .claimOpensAt(OffsetDateTime.parse("2026-11-09T00:00Z")).claimClosesAt(OffsetDateTime.parse("2027-01-01T00:00Z"))
            .revision(2).computedAt(Instant.parse("2026-11-01T00:30:00Z"))
            .build();

    @Test
    @DisplayName("D3: the JSON field names, in order, are those of the contract (causes added by S9.7: adding is free)")
    void d3_fieldNames() throws Exception {
        JsonNode json = new ObjectMapper().readTree(StatementJson.toJson(COMPENSABLE));
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("accountId", "month", "periodDays", "days", "intervals", "errorRateSum",
                "availability", "termsVersion", "compensationPercent", "fee", "voucherPaid", "base", "voucherAmount",
                "currency", "claimOpensAt", "claimClosesAt", "revision", "computedAt", "causes");
        assertThat(json.get("voucherAmount").asText()).isEqualTo("90.00");
        assertThat(StatementJson.fromJson(StatementJson.toJson(COMPENSABLE))).isEqualTo(COMPENSABLE);
    }

    @Test
    @DisplayName("D3 S9.7 the stored text is what the databind writer wrote, byte for byte (nulls, escapes, causes), and reads back")
    void d3_storedTextUnchanged() {
        Statement noFee = COMPENSABLE.toBuilder().accountId("q\"u\\o\u00e9\u0001").fee(Optional.empty())
                .voucherPaid(Optional.empty()).base(Optional.empty()).voucherAmount(Optional.empty())
                .currency(Optional.empty()).build();
        Statement restated = COMPENSABLE.toBuilder()
                .periodDays(List.of(new DateRange(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 3)),
                        new DateRange(LocalDate.of(2026, 10, 10), LocalDate.of(2026, 10, 31))))
                .causes(List.of(RevisionCause.of(RevisionCause.Kind.SUBSCRIPTION_CHANGED, "evt-1",
                                Instant.parse("2026-11-02T01:02:03.456Z")),
                        new RevisionCause(RevisionCause.Kind.UNRECORDED, Optional.empty(),
                                Instant.parse("2026-11-03T00:00:00Z"), 7)))
                .revision(12).build();
        // the texts below were written by the databind implementation this replaced (2026-12-08)
        assertThat(StatementJson.toJson(noFee)).isEqualTo("""
            {"accountId":"q\\"u\\\\o\u00e9\\u0001","month":"2026-10","periodDays":[{"start":"2026-10-01","end":"2026-10-31"}],\
            "days":31,"intervals":8928,"errorRateSum":"50.0","availability":"99.4399","termsVersion":"2026-01",\
            "compensationPercent":"10","fee":null,"voucherPaid":null,"base":null,"voucherAmount":null,"currency":null,\
            "claimOpensAt":"2026-11-09T00:00Z","claimClosesAt":"2027-01-01T00:00Z","revision":2,\
            "computedAt":"2026-11-01T00:30:00Z","causes":[]}""");
        assertThat(StatementJson.toJson(restated)).isEqualTo("""
            {"accountId":"acme","month":"2026-10","periodDays":[{"start":"2026-10-01","end":"2026-10-03"},\
            {"start":"2026-10-10","end":"2026-10-31"}],"days":31,"intervals":8928,"errorRateSum":"50.0",\
            "availability":"99.4399","termsVersion":"2026-01","compensationPercent":"10","fee":"1000.00",\
            "voucherPaid":"100.00","base":"900.00","voucherAmount":"90.00","currency":"EUR",\
            "claimOpensAt":"2026-11-09T00:00Z","claimClosesAt":"2027-01-01T00:00Z","revision":12,\
            "computedAt":"2026-11-01T00:30:00Z","causes":[{"kind":"subscription-changed","eventId":"evt-1",\
            "at":"2026-11-02T01:02:03.456Z","count":1},{"kind":"unrecorded","eventId":null,\
            "at":"2026-11-03T00:00:00Z","count":7}]}""");
        assertThat(StatementJson.fromJson(StatementJson.toJson(noFee))).isEqualTo(noFee);
        assertThat(StatementJson.fromJson(StatementJson.toJson(restated))).isEqualTo(restated);
    }

    @Test
    @DisplayName("D3 a stored statement that is not one is refused naming what is wrong")
    void d3_corruptRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StatementJson.fromJson("{bad"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a statement: Unexpected character");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StatementJson.fromJson("[]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a statement: not a JSON object");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StatementJson.fromJson(
                StatementJson.toJson(COMPENSABLE).replace("\"month\":\"2026-10\",", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a statement: month is missing");
    }

    @Test
    @DisplayName("toBuilder keeps every part; withRevision changes the revision only; sameContentAs ignores revision and time")
    void namedParts() {
        assertThat(COMPENSABLE.toBuilder().build()).isEqualTo(COMPENSABLE);
        Statement next = COMPENSABLE.withRevision(3);
        assertThat(next.revision()).isEqualTo(3);
        assertThat(next.toBuilder().revision(2).build()).isEqualTo(COMPENSABLE);
        assertThat(next.toBuilder().computedAt(Instant.EPOCH).build().sameContentAs(COMPENSABLE)).isTrue();
        assertThat(COMPENSABLE.toBuilder().availability(new BigDecimal("99.5000")).build().sameContentAs(COMPENSABLE))
                .isFalse();
        assertThat(COMPENSABLE.compensable()).isTrue();
        assertThat(COMPENSABLE.feeAssessed()).isTrue();
        Statement noFee = Statement.builder().accountId("acme").month(YearMonth.of(2026, 10)).termsVersion("2026-01")
                .compensationPercent(BigDecimal.ZERO).build();
        assertThat(noFee.fee()).isEmpty();
        assertThat(noFee.currency()).isEmpty();
        assertThat(noFee.revision()).isEqualTo(1);
        assertThat(noFee.feeAssessed()).isFalse();
    }
}
