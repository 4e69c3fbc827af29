package dev.slaledger.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The engines' own (non-AWS) HTTP endpoints: mail stores, health checks. */
public final class EngineHttp {
    private EngineHttp() {
    }

    public static String get(HttpClient http, URI uri) {
        return send(http, HttpRequest.newBuilder(uri).GET().build());
    }

    /** Sends and returns the body; anything but a 2xx is an error. */
    public static String send(HttpClient http, HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + r.statusCode()
                        + ": " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
