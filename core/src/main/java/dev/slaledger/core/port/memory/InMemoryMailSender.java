package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.MailSender;
import java.util.ArrayList;
import java.util.List;

/** Keeps sent mail in a list, for tests. */
public final class InMemoryMailSender implements MailSender {
    private final List<Mail> sent = new ArrayList<>();

    @Override
    public synchronized String send(Mail mail) {
        sent.add(mail);
        return "local-" + sent.size();
    }

    public synchronized List<Mail> sent() {
        return List.copyOf(sent);
    }
}
