package dev.slaledger.claims;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.slaledger.testkit.EventDir;
import java.util.List;

/** The API Gateway HTTP API events kept under {@code events/claims/} at the repository root. */
final class EventFiles {
    private static final EventDir EVENTS = EventDir.of("claims");

    private EventFiles() {
    }

    /** Loads an event exactly as the Lambda runtime deserializes it. */
    static APIGatewayV2HTTPEvent load(String name) {
        return EventLoader.loadApiGatewayHttpEvent(EVENTS.path(name).toAbsolutePath().toString());
    }

    static List<String> list(String sub) {
        return EVENTS.list(sub);
    }
}
