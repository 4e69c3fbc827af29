package dev.slaledger.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpApiFuzzTest {
    private static final String BASE = "https://sla-ledger.dev/problems/";
    private static final String WINDOW = "{\"id\":\"mw-1\",\"start\":\"2026-10-03T02:00:00Z\",\"accounts\":[\"acme\"]}";

    private static APIGatewayV2HTTPResponse response(int status, Map<String, String> headers, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers).withBody(body).build();
    }

    private static List<String> sample(long seed) {
        HttpApiFuzz fuzz = new HttpApiFuzz(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(fuzz.mutate(WINDOW));
            out.add(fuzz.hostileId());
            out.add(String.valueOf(fuzz.method(List.of("PUT"))));
            String body = fuzz.brokenBody();
            out.add(body == null ? "null" : body.length() + ":" + body.hashCode());
            out.add(String.valueOf(fuzz.event("PUT", "/admin/terms", fuzz.headers(Map.of()), WINDOW).getBody()));
        }
        return out;
    }

    @Test
    @DisplayName("issue 15 item 3: a seed replays exactly; mutations of a valid document almost always differ from it")
    void seeded() {
        assertThat(sample(15)).isEqualTo(sample(15));
        assertThat(sample(15)).isNotEqualTo(sample(16));
        HttpApiFuzz fuzz = new HttpApiFuzz(1);
        int same = 0;
        for (int i = 0; i < 1000; i++) {
            same += fuzz.mutate(WINDOW).equals(WINDOW) ? 1 : 0;
        }
        assertThat(same).as("a mutation may happen to give the document back, rarely").isLessThan(30);
    }

    @Test
    @DisplayName("issue 15 item 3: the oracle refuses a 5xx, a 4xx that is no problem+json, a problem without type or with another status")
    void oracle() {
        Map<String, String> problem = Map.of("Content-Type", "application/problem+json");
        assertThatCode(() -> HttpApiFuzz.assertAnswer(response(400, problem,
                "{\"type\":\"" + BASE + "x\",\"title\":\"X\",\"status\":400}"), BASE, "ok")).doesNotThrowAnyException();
        assertThatCode(() -> HttpApiFuzz.assertAnswer(response(204, Map.of(), null), BASE, "204"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> HttpApiFuzz.assertAnswer(response(500, problem,
                "{\"type\":\"" + BASE + "x\",\"title\":\"X\",\"status\":500}"), BASE, "seed 1 iteration 2"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("seed 1 iteration 2");
        assertThatThrownBy(() -> HttpApiFuzz.assertAnswer(response(400, Map.of("Content-Type", "application/json"),
                "{}"), BASE, "w")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> HttpApiFuzz.assertAnswer(response(400, problem,
                "{\"title\":\"X\",\"status\":400}"), BASE, "w")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> HttpApiFuzz.assertAnswer(response(404, problem,
                "{\"type\":\"" + BASE + "x\",\"title\":\"X\",\"status\":400}"), BASE, "w")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> HttpApiFuzz.assertAnswer(response(200, Map.of(), "not json"), BASE, "w"))
                .isInstanceOf(AssertionError.class);
    }
}
