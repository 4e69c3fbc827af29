package dev.slaledger.priming;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An SDK HTTP client that never opens a connection: every request is fully built (marshalled,
 * signed) by the SDK and answered from memory with status 200 and a fixed JSON body (default
 * {@code {}}), which the SDK then unmarshals. A client built on it runs a function's whole
 * request path, SDK included, without any effect anywhere: the priming clients.
 */
public final class CannedHttpClient implements SdkHttpClient {
    private final byte[] body;
    private final AtomicInteger requests = new AtomicInteger();

    private CannedHttpClient(byte[] body) {
        this.body = body;
    }

    /** Answers {@code {}}: an empty result for every JSON-protocol operation. */
    public static CannedHttpClient emptyJson() {
        return answering("{}");
    }

    public static CannedHttpClient answering(String json) {
        return new CannedHttpClient(json.getBytes(StandardCharsets.UTF_8));
    }

    /** How many requests reached this client (each one was marshalled and signed). */
    public int requests() {
        return requests.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                requests.incrementAndGet();
                request.contentStreamProvider().ifPresent(p -> {
                    try (var in = p.newStream()) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("Content-Length", Integer.toString(body.length))
                                .build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
                // nothing in flight
            }
        };
    }

    @Override
    public String clientName() {
        return "Canned";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
