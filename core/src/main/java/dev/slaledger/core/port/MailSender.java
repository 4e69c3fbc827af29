package dev.slaledger.core.port;

/** Sends one email; returns the provider's message id. */
public interface MailSender {
    record Mail(String to, String subject, String textBody, String htmlBody) {
    }

    String send(Mail mail);
}
