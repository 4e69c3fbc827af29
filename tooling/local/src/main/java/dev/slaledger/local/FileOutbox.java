package dev.slaledger.local;

import dev.slaledger.core.port.NoticeMailer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mail sender for machines without Node.js: each notice becomes one RFC 5322 {@code .eml} file
 * (multipart/alternative, text and HTML, UTF-8, base64) in a directory, openable by any mail
 * client. Nothing leaves the machine. The message id is the file name.
 */
public final class FileOutbox implements NoticeMailer {
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final Path directory;
    private final String from;
    private final Clock clock;
    private final AtomicInteger sequence = new AtomicInteger();

    public FileOutbox(Path directory, String from, Clock clock) {
        this.directory = directory;
        this.from = from;
        this.clock = clock;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the outbox " + directory, e);
        }
    }

    public Path directory() {
        return directory;
    }

    @Override
    public String send(Mail mail, Map<String, String> tags) {
        String id = String.format("%04d-%s", sequence.incrementAndGet(),
                mail.to().replaceAll("[^A-Za-z0-9@._-]", "_"));
        String boundary = "sla-ledger-" + id.hashCode();
        StringBuilder m = new StringBuilder();
        m.append("Message-ID: <").append(id).append("@sla-ledger.local>\r\n");
        m.append("Date: ").append(ZonedDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).format(RFC_5322))
                .append("\r\n");
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(mail.to()).append("\r\n");
        m.append("Subject: ").append(encodedWord(mail.subject())).append("\r\n");
        new TreeMap<>(tags).forEach((k, v) -> m.append("X-SES-MESSAGE-TAGS: ").append(k).append('=').append(v)
                .append("\r\n"));
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/alternative; boundary=\"").append(boundary).append("\"\r\n\r\n");
        part(m, boundary, "text/plain", mail.textBody());
        part(m, boundary, "text/html", mail.htmlBody());
        m.append("--").append(boundary).append("--\r\n");
        try {
            Files.writeString(directory.resolve(id + ".eml"), m, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MailNotSent("could not write " + id + ".eml: " + e.getMessage(), false, e);
        }
        return id;
    }

    private static void part(StringBuilder m, String boundary, String type, String body) {
        if (body == null) {
            return;
        }
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: ").append(type).append("; charset=UTF-8\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n\r\n");
        String encoded = Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < encoded.length(); i += 76) {
            m.append(encoded, i, Math.min(encoded.length(), i + 76)).append("\r\n");
        }
    }

    /** RFC 2047 encoded word when the subject is not plain ASCII (the Chinese notices). */
    static String encodedWord(String text) {
        if (text.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return text;
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
    }
}
