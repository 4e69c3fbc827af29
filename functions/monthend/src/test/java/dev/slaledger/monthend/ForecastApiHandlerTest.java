package dev.slaledger.monthend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.forecast.AccountForecast;
import dev.slaledger.core.forecast.ForecastStatus;
import dev.slaledger.core.money.Money;
import dev.slaledger.core.port.memory.InMemoryForecastRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.port.memory.SettableClock;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.lambda.http.ApiRequest;
import dev.slaledger.lambda.http.ApiResponse;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** S9.8 GET /admin/forecast: the at-risk list, its totals, its paging and its problems. */
class ForecastApiHandlerTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private final InMemoryForecastRepository forecasts = new InMemoryForecastRepository();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-10-20T12:00:00Z"));
    private final ForecastApiHandler api = new ForecastApiHandler(forecasts,
            new InMemoryTermsRepository(DefaultTerms.version()), clock);
    private final ObjectMapper json = new ObjectMapper();

    static AccountForecast forecast(String id, YearMonth month, ForecastStatus status, String voucher) {
        return new AccountForecast(id, month, Instant.parse("2026-10-20T02:00:00Z"),
                Instant.parse("2026-10-20T01:00:00Z"), "2026-01", new BigDecimal("99.90"), 8928, 5484,
                new BigDecimal("12.5"), new BigDecimal("8.928"), new BigDecimal("20.35"), status,
                status == ForecastStatus.COMPENSABLE ? BigDecimal.TEN : BigDecimal.ZERO,
                Optional.ofNullable(voucher).map(v -> Money.of(v, "EUR")), "b");
    }

    @BeforeEach
    void list() {
        forecasts.save(forecast("a", OCT, ForecastStatus.OK, "0.00"), Optional.empty());
        forecasts.save(forecast("b", OCT, ForecastStatus.AT_RISK, "0.00"), Optional.empty());
        forecasts.save(forecast("c", OCT, ForecastStatus.COMPENSABLE, "100.00"), Optional.empty());
        forecasts.save(forecast("d", OCT, ForecastStatus.COMPENSABLE, null), Optional.empty());
        forecasts.save(forecast("e", YearMonth.of(2026, 9), ForecastStatus.COMPENSABLE, "55.00"), Optional.empty());
    }

    private ApiResponse get(Map<String, String> query) {
        return api.handle(new ApiRequest("GET", "/admin/forecast", Map.of(), null, false, null, Map.of(), query));
    }

    @Test
    @DisplayName("S9.8 the month under way by default: its accounts at risk or compensable, and the totals")
    void firstPage() throws Exception {
        ApiResponse r = get(Map.of());
        assertThat(r.status()).isEqualTo(200);
        JsonNode b = json.readTree(r.body());
        assertThat(b.get("month").asText()).isEqualTo("2026-10");
        assertThat(b.get("totals").get("accountsAtRisk").asLong()).isEqualTo(1);
        assertThat(b.get("totals").get("accountsCompensable").asLong()).isEqualTo(2);
        assertThat(b.get("totals").get("certainLiability").get("EUR").asText()).isEqualTo("100.00");
        assertThat(b.get("forecasts").findValuesAsText("accountId")).containsExactly("b", "c", "d");
        assertThat(b.get("forecasts").get(1).get("certainVoucher").asText()).isEqualTo("100.00");
        assertThat(b.get("cursor").isNull()).isTrue();
    }

    @Test
    @DisplayName("S9.8 filtered by status, a page at a time; a next page carries no totals")
    void pages() throws Exception {
        JsonNode first = json.readTree(get(Map.of("status", "compensable", "limit", "1")).body());
        assertThat(first.get("forecasts").findValuesAsText("accountId")).containsExactly("c");
        JsonNode second = json.readTree(get(Map.of("status", "compensable", "limit", "1",
                "cursor", first.get("cursor").asText())).body());
        assertThat(second.get("forecasts").findValuesAsText("accountId")).containsExactly("d");
        assertThat(second.has("totals")).isFalse();
        JsonNode september = json.readTree(get(Map.of("month", "2026-09")).body());
        assertThat(september.get("totals").get("certainLiability").get("EUR").asText()).isEqualTo("55.00");
    }

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @DisplayName("bad input is a 400 problem naming the field")
    @CsvSource({"month, 2026-13, invalid-month", "month, october, invalid-month", "status, ok, invalid-status",
            "status, AT_RISK, invalid-status", "limit, 0, invalid-limit", "limit, 501, invalid-limit",
            "limit, x, invalid-limit"})
    void problems(String name, String value, String type) throws Exception {
        ApiResponse r = get(Map.of(name, value));
        assertThat(r.status()).isEqualTo(400);
        JsonNode p = json.readTree(r.body());
        assertThat(p.get("type").asText()).endsWith(type);
        assertThat(p.get("field").asText()).isEqualTo(name);
    }

    @Test
    @DisplayName("only GET")
    void methods() {
        ApiResponse r = api.handle(new ApiRequest("POST", "/admin/forecast", Map.of(), "{}", false, null));
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.headers()).containsEntry("Allow", "GET");
    }
}
