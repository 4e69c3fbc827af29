package dev.slaledger.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fixture's pure parts: engine selection, LocalStack's mail store read as the emulator's, the skip line. */
class EnginesTest {

    @Test
    @DisplayName("-Dslaledger.engines selects emulators (also when unset, or the old name embedded) or localstack; anything else is an error naming both")
    void selection() {
        assertThat(Engines.Kind.parse(null)).isEqualTo(Engines.Kind.EMULATORS);
        assertThat(Engines.Kind.parse("")).isEqualTo(Engines.Kind.EMULATORS);
        assertThat(Engines.Kind.parse("emulators")).isEqualTo(Engines.Kind.EMULATORS);
        assertThat(Engines.Kind.parse("embedded")).isEqualTo(Engines.Kind.EMULATORS);
        assertThat(Engines.Kind.parse(" LocalStack ")).isEqualTo(Engines.Kind.LOCALSTACK);
        assertThatThrownBy(() -> Engines.Kind.parse("docker"))
                .hasMessage("-Dslaledger.engines=docker is not one of: emulators, localstack");
    }

    @Test
    @DisplayName("LocalStack's GET /_aws/ses reads as the SES v2 emulator's /store: ids, addresses, subject, both bodies")
    void localStackMessagesReadAsTheEmulatorsEmails() throws Exception {
        JsonNode answer = new ObjectMapper().readTree("""
                {"messages": [
                  {"Id": "abc-1", "Region": "eu-west-1", "Timestamp": "2026-11-02T09:00:00",
                   "Source": "sla-notices@provider.example",
                   "Destination": {"ToAddresses": ["ops@acme.example"]},
                   "Subject": "Subject 主题",
                   "Body": {"text_part": "text body", "html_part": "<p>html body</p>"}},
                  {"Id": "abc-2", "Source": "a@b.example",
                   "Destination": {"ToAddresses": ["x@y.example"], "CcAddresses": ["c@y.example"]},
                   "Subject": "only text", "Body": {"text_part": "t", "html_part": null}}
                ]}""");

        List<JsonNode> emails = LocalStackMailbox.fromLocalStack(answer);

        assertThat(emails).hasSize(2);
        JsonNode first = emails.get(0);
        assertThat(first.path("messageId").asText()).isEqualTo("abc-1");
        assertThat(first.path("from").asText()).isEqualTo("sla-notices@provider.example");
        assertThat(first.path("destination").path("to").get(0).asText()).isEqualTo("ops@acme.example");
        assertThat(first.path("destination").path("cc")).isEmpty();
        assertThat(first.path("destination").path("bcc")).isEmpty();
        assertThat(first.path("subject").asText()).isEqualTo("Subject 主题");
        assertThat(first.path("body").path("text").asText()).isEqualTo("text body");
        assertThat(first.path("body").path("html").asText()).isEqualTo("<p>html body</p>");
        assertThat(emails.get(1).path("destination").path("cc").get(0).asText()).isEqualTo("c@y.example");
        assertThat(emails.get(1).path("body").path("html").asText()).isEmpty();
    }

    @Test
    @DisplayName("the one line a Docker-less LocalStack run prints")
    void skipLine() {
        assertThat(SkipReport.message(23)).isEqualTo("LocalStack profile: no Docker engine found, 23 integration tests skipped");
        assertThat(SkipReport.message(1)).isEqualTo("LocalStack profile: no Docker engine found, 1 integration test skipped");
    }
}
