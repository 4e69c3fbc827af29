package dev.slaledger.claims;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The API Gateway HTTP API events kept under {@code events/claims/} at the repository root. */
final class EventFiles {
    private EventFiles() {
    }

    static Path dir() {
        return Path.of(System.getProperty("events.dir", "../../events/claims")).normalize();
    }

    /** Loads an event exactly as the Lambda runtime deserializes it. */
    static APIGatewayV2HTTPEvent load(String name) {
        Path p = dir().resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("no event file " + p.toAbsolutePath());
        }
        return EventLoader.loadApiGatewayHttpEvent(p.toAbsolutePath().toString());
    }

    static List<String> list(String sub) {
        try (Stream<Path> files = Files.list(dir().resolve(sub))) {
            return files.filter(f -> f.toString().endsWith(".json"))
                    .map(f -> dir().relativize(f).toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
