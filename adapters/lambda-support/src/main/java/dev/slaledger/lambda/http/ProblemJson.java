package dev.slaledger.lambda.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one builder of RFC 9457 problems ({@code application/problem+json}) of every API route:
 * {@code type} is {@value #TYPE_BASE} plus a stable slug per case, then {@code title},
 * {@code status}, {@code detail} and any extension members (a {@code field} at fault, ...).
 */
public final class ProblemJson {
    public static final String TYPE_BASE = "https://sla-ledger.dev/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemJson() {
    }

    public static ApiResponse response(int status, String slug, String title, String detail) {
        return response(status, slug, title, detail, Map.of(), Map.of());
    }

    /**
     * @param extensions extra members of the problem object (RFC 9457 section 3.2)
     * @param headers    extra response headers (Allow, Retry-After, WWW-Authenticate, Location)
     */
    public static ApiResponse response(int status, String slug, String title, String detail,
            Map<String, String> extensions, Map<String, String> headers) {
        ObjectNode p = JSON.createObjectNode();
        p.put("type", TYPE_BASE + slug);
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        extensions.forEach(p::put);
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", MEDIA_TYPE);
        return new ApiResponse(status, h, p.toString());
    }
}
