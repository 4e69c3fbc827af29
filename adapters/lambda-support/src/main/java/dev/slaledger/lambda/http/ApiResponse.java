package dev.slaledger.lambda.http;

import java.util.Map;

/** What an API answers: status, headers, body (JSON text, or null for none). */
public record ApiResponse(int status, Map<String, String> headers, String body) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, String body) {
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), body);
    }

    /** A response without a body (204). */
    public static ApiResponse empty(int status) {
        return new ApiResponse(status, Map.of(), null);
    }
}
