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
 * @param query     the query string's parameters, decoded (a repeated one joined with commas, as API
 *                  Gateway does), empty when none
 */
public record ApiRequest(String method, String path, Map<String, String> headers, String body, boolean base64,
        Map<String, String> jwtClaims, Map<String, String> pathParameters, Map<String, String> query) {

    public ApiRequest {
        pathParameters = pathParameters == null ? Map.of() : Map.copyOf(pathParameters);
        query = query == null ? Map.of() : Map.copyOf(query);
    }

    public ApiRequest(String method, String path, Map<String, String> headers, String body, boolean base64,
            Map<String, String> jwtClaims, Map<String, String> pathParameters) {
        this(method, path, headers, body, base64, jwtClaims, pathParameters, Map.of());
    }

    public ApiRequest(String method, String path, Map<String, String> headers, String body, boolean base64,
            Map<String, String> jwtClaims) {
        this(method, path, headers, body, base64, jwtClaims, Map.of());
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }
}
