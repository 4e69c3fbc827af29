package dev.slaledger.notifier;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.slaledger.testkit.HttpApiFuzz;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Seeded generator of hostile events for {@code PUT /admin/terms} (issue 15), on the shared
 * {@link HttpApiFuzz}: valid D5 versions (random ids and dates, so some are published and some
 * refused), the same mutated, broken and huge bodies, bad base64, wrong methods and paths,
 * missing request contexts; mixed with the recorded well-formed request.
 */
final class PublishTermsFuzzEvents {
    private static final ObjectNode TEMPLATE = template();

    private final HttpApiFuzz fuzz;
    private int versions;

    PublishTermsFuzzEvents(long seed) {
        fuzz = new HttpApiFuzz(seed);
    }

    APIGatewayV2HTTPEvent next() {
        if (fuzz.chance(0.3)) {
            APIGatewayV2HTTPEvent e = Fixtures.putTermsEvent();
            e.setBody(terms());
            if (fuzz.chance(0.1)) {
                HttpApiFuzz.encodeBase64(e);
            }
            return e;
        }
        if (fuzz.chance(0.005)) {
            return null;
        }
        String path = fuzz.chance(0.9) ? "/admin/terms" : fuzz.pick(List.of("/", "", "/admin/terms/" + fuzz.hostileId(),
                "/admin", "/" + fuzz.junk(10)));
        String body = switch (fuzz.nextInt(5)) {
            case 0, 1 -> fuzz.mutate(terms());
            case 2 -> fuzz.brokenBody();
            case 3 -> fuzz.chance(0.5) ? null : terms();
            default -> terms();
        };
        APIGatewayV2HTTPEvent e = fuzz.event(fuzz.method(List.of("PUT")), path, fuzz.headers(Map.of()), body);
        if (fuzz.chance(0.3)) {
            e.setPathParameters(Map.of("version", fuzz.hostileId()));
        }
        return e;
    }

    /**
     * The recorded D5 version with an id new, repeated or hostile, taking effect mostly after every
     * version generated before (so that most are published: S6.1 wants each after the current
     * one), sometimes at a random date (too soon, or not after the current version).
     */
    private String terms() {
        ObjectNode doc = TEMPLATE.deepCopy();
        versions++;
        double p = fuzz.nextInt(100) / 100.0;
        String version = p < 0.5 ? "v" + versions : p < 0.7 ? "v" + fuzz.nextInt(1, versions + 1) : fuzz.hostileId();
        doc.set("version", TextNode.valueOf(version));
        LocalDate effective = fuzz.chance(0.8) ? LocalDate.of(2026, 12, 3).plusDays(versions)
                : LocalDate.of(2026, 11, 1).plusDays(fuzz.nextInt(0, 400));
        doc.put("effectiveFrom", effective.toString());
        return doc.toString();
    }

    private static ObjectNode template() {
        try {
            return (ObjectNode) new ObjectMapper().readTree(Fixtures.putTermsEvent().getBody());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
