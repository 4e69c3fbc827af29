package dev.slaledger.lambda.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.slaledger.lambda.JsonLog;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * API Gateway HTTP API events (payload format 2.0) in and out, the same for every route: the
 * claims API and the admin routes. A handler is {@code HttpApi.handle(event, context, api::handle)}.
 */
public final class HttpApi {
    private HttpApi() {
    }

    /**
     * Runs {@code api} on the request: what it answers, or a 500 problem (logged with method and
     * path, never the body) when it throws; a log line per request with status and time.
     */
    public static APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context,
            Function<ApiRequest, ApiResponse> api) {
        long started = System.nanoTime();
        ApiRequest request = request(event);
        ApiResponse response;
        try {
            response = api.apply(request);
        } catch (RuntimeException e) {
            JsonLog.error(context, request.method() + " " + request.path() + ": " + e);
            response = ProblemJson.response(500, "internal-error", "Internal error",
                    "the service failed; the request may be repeated");
        }
        JsonLog.info(context, request.method() + " " + request.path() + " -> " + response.status() + " in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        return response(response);
    }

    public static APIGatewayV2HTTPResponse response(ApiResponse response) {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(response.headers())
                .withBody(response.body())
                .withIsBase64Encoded(false)
                .build();
    }

    /** The request as handlers read it: method, path without a stage prefix, lower-cased headers, claims. */
    public static ApiRequest request(APIGatewayV2HTTPEvent event) {
        if (event == null) {
            return new ApiRequest("", "", Map.of(), null, false, null);
        }
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        String method = ctx == null || ctx.getHttp() == null || ctx.getHttp().getMethod() == null ? ""
                : ctx.getHttp().getMethod();
        String path = event.getRawPath();
        if (path == null && ctx != null && ctx.getHttp() != null) {
            path = ctx.getHttp().getPath();
        }
        if (path == null) {
            path = "";
        }
        String stage = ctx == null ? null : ctx.getStage();
        if (stage != null && !stage.isEmpty() && !"$default".equals(stage) && path.startsWith("/" + stage + "/")) {
            path = path.substring(stage.length() + 1);
        }
        Map<String, String> headers = new HashMap<>();
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((k, v) -> {
                if (k != null && v != null) {
                    headers.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + "," + b);
                }
            });
        }
        Map<String, String> claims = null;
        if (ctx != null && ctx.getAuthorizer() != null && ctx.getAuthorizer().getJwt() != null) {
            claims = ctx.getAuthorizer().getJwt().getClaims();
        }
        Map<String, String> pathParameters = new HashMap<>();
        if (event.getPathParameters() != null) {
            event.getPathParameters().forEach((k, v) -> {
                if (k != null && v != null) {
                    pathParameters.put(k, v);
                }
            });
        }
        return new ApiRequest(method, path, headers, event.getBody(), event.getIsBase64Encoded(), claims,
                pathParameters, query(event));
    }

    /**
     * The query parameters as API Gateway gives them ({@code queryStringParameters}: decoded, a
     * repeated name's values joined with commas), else parsed from {@code rawQueryString} the same way
     * (events written by hand or by a local server give only that). Null names and values are left out.
     */
    static Map<String, String> query(APIGatewayV2HTTPEvent event) {
        Map<String, String> query = new HashMap<>();
        if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((k, v) -> {
                if (k != null && v != null) {
                    query.put(k, v);
                }
            });
            return query;
        }
        String raw = event.getRawQueryString();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
                        java.nio.charset.StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
                query.merge(name, value, (a, b) -> a + "," + b);
            } catch (IllegalArgumentException malformed) {
                // a broken escape: the parameter is left out, as a route reads it as absent
            }
        }
        return query;
    }
}
