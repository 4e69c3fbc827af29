package dev.slaledger.claims;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reading handler responses in tests. */
final class Responses {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Responses() {
    }

    static JsonNode body(APIGatewayV2HTTPResponse r) {
        try {
            return JSON.readTree(r.getBody());
        } catch (JsonProcessingException e) {
            throw new AssertionError("response body is not JSON: " + r.getBody(), e);
        }
    }

    /** The problem type's last segment, e.g. "invalid-month"; null when the response is no problem. */
    static String problemType(APIGatewayV2HTTPResponse r) {
        if (!Problem.MEDIA_TYPE.equals(r.getHeaders().get("Content-Type"))) {
            return null;
        }
        String type = body(r).get("type").asText();
        return type.substring(Problem.TYPE_BASE.length());
    }
}
