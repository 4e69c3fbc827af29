package dev.slaledger.adapter.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slaledger.core.port.StatementWorkQueue;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkMessageTest {
    @Test
    @DisplayName("S7.2 a work message is written in its documented shape and reads back equal, month-end and restatement")
    void roundTrip() {
        WorkMessage monthEnd = new WorkMessage(YearMonth.of(2026, 10), List.of("acme", "glo\"bex"),
                StatementWorkQueue.Kind.MONTH_END);
        assertThat(monthEnd.toJson()).isEqualTo("{\"month\":\"2026-10\",\"accountIds\":[\"acme\",\"glo\\\"bex\"]}");
        assertThat(WorkMessage.parse(monthEnd.toJson())).isEqualTo(monthEnd);
        WorkMessage restatement = new WorkMessage(YearMonth.of(2026, 9), List.of(), StatementWorkQueue.Kind.RESTATEMENT);
        assertThat(restatement.toJson()).isEqualTo("{\"month\":\"2026-09\",\"accountIds\":[],\"kind\":\"RESTATEMENT\"}");
        assertThat(WorkMessage.parse(restatement.toJson())).isEqualTo(restatement);
        assertThat(WorkMessage.parse("{\"kind\":\"MONTH_END\",\"extra\":{\"x\":[1]},\"accountIds\":[\"a\"],\"month\":\"2026-10\"}"))
                .isEqualTo(new WorkMessage(YearMonth.of(2026, 10), List.of("a"), StatementWorkQueue.Kind.MONTH_END));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        not JSON                  | {"month":"2026-10","accountIds":[}                          | work message is not JSON
        empty                     | ``                                                          | work message needs month (YYYY-MM) and accountIds
        an array                  | ["2026-10"]                                                 | work message needs month (YYYY-MM) and accountIds
        month a number            | {"month":202610,"accountIds":[]}                            | work message needs month (YYYY-MM) and accountIds
        accountIds not an array   | {"month":"2026-10","accountIds":"a"}                        | work message needs month (YYYY-MM) and accountIds
        month not YYYY-MM         | {"month":"2026-13","accountIds":[]}                         | work message month is not YYYY-MM
        a blank account id        | {"month":"2026-10","accountIds":["a"," "]}                  | work message has a blank or non-string account id
        a numeric account id      | {"month":"2026-10","accountIds":[7]}                        | work message has a blank or non-string account id
        an unknown kind           | {"month":"2026-10","accountIds":[],"kind":"LATER"}          | work message kind is not MONTH_END or RESTATEMENT
        a kind that is null       | {"month":"2026-10","accountIds":[],"kind":null}             | work message kind is not MONTH_END or RESTATEMENT
        """)
    @DisplayName("a work message that cannot be processed is refused with a reason")
    void refused(String name, String body, String reason) {
        assertThatThrownBy(() -> WorkMessage.parse(body == null ? "" : body))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(reason);
    }
}
