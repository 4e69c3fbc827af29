package dev.slaledger.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;

/**
 * The SES engine as the tests see it: where to send, and what it received. Each email reads in
 * the JSON shape of the SES v2 emulator's {@code GET /store} in both modes: {@code messageId},
 * {@code from}, {@code destination.to/cc/bcc} (arrays), {@code subject}, {@code body.text},
 * {@code body.html}.
 */
public interface Mailbox {
    /** The SES v2 endpoint to point an {@code SesV2Client} at. */
    URI endpoint();

    /**
     * Makes {@code from} a sender the engine accepts, with its configuration set: LocalStack, like
     * SES, refuses unverified senders; the emulator accepts anyone (nothing to do).
     */
    void allowSender(String from, String configurationSet);

    /** The emails received so far, oldest first. */
    List<JsonNode> emails();

    /** Forgets every email received so far. */
    void clear();
}
