package dev.slaledger.claims;

import java.util.Map;

/**
 * The parts of an HTTP API request the claims API reads.
 *
 * @param method    upper-case HTTP method, "" when absent
 * @param path      the path without the stage prefix, "" when absent
 * @param headers   header names lower-cased
 * @param body      the body as API Gateway passed it (base64 text when {@code base64}), may be null
 * @param jwtClaims the JWT authorizer's claims, null when the request carries none
 */
public record ApiRequest(String method, String path, Map<String, String> headers, String body, boolean base64,
        Map<String, String> jwtClaims) {

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }
}
