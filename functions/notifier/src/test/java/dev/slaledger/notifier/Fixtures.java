package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slaledger.core.terms.TermsParser;
import dev.slaledger.core.terms.TermsVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The event files of events/notifier and the terms they carry. */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    public static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", "../..")).toAbsolutePath().normalize();
    }

    public static Path event(String name) {
        return repoRoot().resolve("events/notifier").resolve(name);
    }

    public static APIGatewayV2HTTPEvent putTermsEvent() {
        return EventLoader.loadApiGatewayHttpEvent(event("admin-put-terms.json").toString());
    }

    /** Version 2027-01: commitment 99.95, claims close after 3 months, Asia/Shanghai, CN holidays. */
    public static TermsVersion v2027() {
        return TermsParser.parse(putTermsEvent().getBody());
    }

    public static JsonNode json(String eventFile) {
        try {
            return JSON.readTree(Files.readString(event(eventFile)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(JsonNode node) {
        return JSON.convertValue(node, Map.class);
    }
}
