package dev.slaledger.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slaledger.emulators.EngineHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;

/**
 * LocalStack's SES: senders must be verified identities (LocalStack verifies them on creation),
 * and the sent messages are read from its internal endpoint {@code GET /_aws/ses}
 * ({@code {"messages":[{"Id","Source","Destination":{"ToAddresses"...},"Subject","Body":{"text_part","html_part"}}]}}),
 * emptied by {@code DELETE /_aws/ses}. {@link #emails()} turns each into the emulator's shape.
 */
final class LocalStackMailbox implements Mailbox {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final Engines engines;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LocalStackMailbox(URI endpoint, Engines engines) {
        this.endpoint = endpoint;
        this.engines = engines;
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void allowSender(String from, String configurationSet) {
        try (SesV2Client ses = engines.sesV2().build()) {
            try {
                ses.createEmailIdentity(b -> b.emailIdentity(from));
            } catch (AlreadyExistsException done) {
                // verified by an earlier test
            }
            try {
                ses.createConfigurationSet(b -> b.configurationSetName(configurationSet));
            } catch (AlreadyExistsException done) {
                // created by an earlier test
            }
        }
    }

    @Override
    public List<JsonNode> emails() {
        try {
            return fromLocalStack(JSON.readTree(EngineHttp.get(http, endpoint.resolve("/_aws/ses"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void clear() {
        EngineHttp.send(http, HttpRequest.newBuilder(endpoint.resolve("/_aws/ses")).DELETE().build());
    }

    /** LocalStack's {@code /_aws/ses} answer as the SES v2 emulator's list of emails, oldest first. */
    static List<JsonNode> fromLocalStack(JsonNode answer) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode m : answer.path("messages")) {
            ObjectNode mail = JSON.createObjectNode();
            mail.put("messageId", m.path("Id").asText());
            mail.put("from", m.path("Source").asText());
            ObjectNode destination = mail.putObject("destination");
            addresses(destination.putArray("to"), m.path("Destination").path("ToAddresses"));
            addresses(destination.putArray("cc"), m.path("Destination").path("CcAddresses"));
            addresses(destination.putArray("bcc"), m.path("Destination").path("BccAddresses"));
            mail.put("subject", m.path("Subject").asText());
            ObjectNode body = mail.putObject("body");
            body.put("text", m.path("Body").path("text_part").asText(""));
            body.put("html", m.path("Body").path("html_part").asText(""));
            out.add(mail);
        }
        return out;
    }

    private static void addresses(ArrayNode into, JsonNode from) {
        from.forEach(a -> into.add(a.asText()));
    }
}
