package dev.slaledger.claims;

import java.util.Map;

/** What the API answers: status, headers, body (JSON text). */
public record ApiResponse(int status, Map<String, String> headers, String body) {
    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(int status, String body) {
        return new ApiResponse(status, Map.of("Content-Type", "application/json"), body);
    }
}
