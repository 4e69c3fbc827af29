package dev.slaledger.lambda.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The query parameters a route reads: API Gateway's decoded map, else the raw query string parsed alike. */
class HttpApiQueryTest {
    @Test
    @DisplayName("queryStringParameters as API Gateway gives them win over the raw string")
    void decodedMap() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder().withRawQueryString("limit=1")
                .withQueryStringParameters(Map.of("limit", "5", "cursor", "2026-10-05T00:10:00Z")).build();
        assertThat(HttpApi.request(event).query()).containsExactlyInAnyOrderEntriesOf(
                Map.of("limit", "5", "cursor", "2026-10-05T00:10:00Z"));
    }

    @Test
    @DisplayName("a raw query string is decoded, repeated names joined with commas, broken escapes left out")
    void rawString() {
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withRawQueryString("cursor=2026-10-05T00%3A10%3A00Z&limit=5&limit=6&flag&bad=%zz&&").build();
        assertThat(HttpApi.request(event).query()).containsExactlyInAnyOrderEntriesOf(
                Map.of("cursor", "2026-10-05T00:10:00Z", "limit", "5,6", "flag", ""));
        assertThat(HttpApi.request(APIGatewayV2HTTPEvent.builder().build()).query()).isEmpty();
    }
}
