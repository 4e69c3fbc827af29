package dev.slaledger.lambda.http;

import java.util.Map;

/**
 * The parts of an HTTP API request a handler reads ({@link HttpApi#request} builds it).
 *
 * @param method    upper-case HTTP method, "" when absent
 * @param path      the path without the stage prefix, "" when absent
 * @param headers   header names lower-cased
 * @param body      the body as API Gateway passed it (base64 text when {@code base64}), may be null
 * @param jwtClaims the JWT authorizer's claims, null when the request carries none
 * @param pathParameters the route's path parameters, empty when none
 */
public record ApiRequest(String method, String path, Map<String, String> headers, String body, boolean base64,
        Map<String, String> jwtClaims, Map<String, String> pathParameters) {

    public ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
    }

    public ApiRequest(String method, String path, Map<String, String> headers, String body, boolean base64,
            Map<String, String> jwtClaims) {
        this(method, path, headers, body, base64, jwtClaims, Map.of());
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }
}
