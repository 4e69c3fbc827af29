package dev.slaledger.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The claims API on a loopback port: each real HTTP request becomes the API Gateway HTTP API
 * event (payload format 2.0) the deployed function receives, the handler answers, and its
 * response goes back over HTTP.
 *
 * <p><b>Local only: there is no JWT authorizer here.</b> The caller's account, which in AWS is the
 * {@code sub} claim of a verified token, is taken from the header {@value #ACCOUNT_HEADER} or from
 * a fake bearer token {@code Authorization: Bearer local:<account>}, and put into
 * {@code requestContext.authorizer.jwt.claims.sub}. Neither is accepted by the deployed API.
 * Without either, the event carries no authorizer and the handler answers 401.
 */
public final class ClaimsHttpServer implements AutoCloseable {
    public static final String ACCOUNT_HEADER = "X-Local-Account";
    public static final String FAKE_BEARER_PREFIX = "local:";
    private static final int MAX_BODY = 1 << 20;
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter
            .ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final HttpServer server;
    private final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler;
    private final Clock clock;

    public ClaimsHttpServer(RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler, Clock clock) {
        this.handler = handler;
        this.clock = clock;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot open a loopback port for the claims API", e);
        }
        server.createContext("/", this::serve);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "claims-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            APIGatewayV2HTTPResponse response = respond(exchange.getRequestMethod(), exchange.getRequestURI(),
                    exchange.getRequestHeaders(), body, exchange.getRemoteAddress().getAddress().getHostAddress());
            byte[] out = bytes(response);
            if (response.getHeaders() != null) {
                response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            }
            exchange.sendResponseHeaders(response.getStatusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    /**
     * What the API answers a request: the handler's response to its event, or 413 above the body
     * limit. Over the loopback port for every request; {@link ClaimsClient#inProcess} calls it
     * directly (the same event, handler and response, without the socket).
     */
    APIGatewayV2HTTPResponse respond(String method, URI uri, Map<String, List<String>> headers, byte[] body,
            String sourceIp) {
        if (body.length > MAX_BODY) {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(413)
                    .withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody("{\"message\":\"Request Entity Too Large\"}").build();
        }
        return handler.handleRequest(toEvent(method, uri, headers, body, sourceIp), null);
    }

    /** A response's body as the client receives it (decoded when the handler base64-encoded it). */
    static byte[] bytes(APIGatewayV2HTTPResponse response) {
        return response.getBody() == null ? new byte[0]
                : response.getIsBase64Encoded() ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
    }

    /** The HTTP API payload 2.0 event for a request; public for tests. */
    public APIGatewayV2HTTPEvent toEvent(String method, URI uri, Map<String, List<String>> requestHeaders, byte[] body,
            String sourceIp) {
        Map<String, String> headers = new LinkedHashMap<>();
        requestHeaders.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();

        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod(method.toUpperCase(Locale.ROOT))
                .withPath(path)
                .withProtocol("HTTP/1.1")
                .withSourceIp(sourceIp)
                .withUserAgent(headers.getOrDefault("user-agent", ""))
                .build();
        APIGatewayV2HTTPEvent.RequestContext ctx = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("000000000000")
                .withApiId("local")
                .withDomainName("127.0.0.1")
                .withDomainPrefix("127")
                .withStage("$default")
                .withRouteKey("$default")
                .withRequestId(UUID.randomUUID().toString())
                .withTime(REQUEST_TIME.format(clock.instant()))
                .withTimeEpoch(clock.millis())
                .withHttp(http)
                .build();
        localAccount(headers).ifPresent(account -> ctx.setAuthorizer(
                APIGatewayV2HTTPEvent.RequestContext.Authorizer.builder()
                        .withJwt(APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT.builder()
                                .withClaims(Map.of("sub", account, "iss", "sla-local"))
                                .withScopes(List.of())
                                .build())
                        .build()));

        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(path)
                .withRawQueryString(query)
                .withHeaders(headers)
                .withRequestContext(ctx)
                .withIsBase64Encoded(false)
                .build();
        if (body.length > 0) {
            Optional<String> text = utf8(body);
            if (text.isPresent()) {
                event.setBody(text.get());
            } else { // as API Gateway does for bodies it cannot pass as text
                event.setBody(Base64.getEncoder().encodeToString(body));
                event.setIsBase64Encoded(true);
            }
        }
        return event;
    }

    /** The local-only stand-in for the JWT's {@code sub}: the header, else the fake bearer token. */
    static Optional<String> localAccount(Map<String, String> lowerCaseHeaders) {
        String header = lowerCaseHeaders.get(ACCOUNT_HEADER.toLowerCase(Locale.ROOT));
        if (header != null && !header.isBlank()) {
            return Optional.of(header.trim());
        }
        String auth = lowerCaseHeaders.get("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).trim();
            if (token.startsWith(FAKE_BEARER_PREFIX) && token.length() > FAKE_BEARER_PREFIX.length()) {
                return Optional.of(token.substring(FAKE_BEARER_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
