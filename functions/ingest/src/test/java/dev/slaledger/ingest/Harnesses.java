package dev.slaledger.ingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The {@link Harness}es a test opens, each closed after the test (register with {@code @RegisterExtension}). */
final class Harnesses implements AfterEachCallback {
    private final List<Harness> open = new ArrayList<>();

    /** A fresh harness on the clock of the events under events/ingest/. */
    Harness open() {
        return open(Events.CLOCK);
    }

    Harness open(Clock clock) {
        Harness h = new Harness(clock);
        open.add(h);
        return h;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        open.forEach(Harness::close);
        open.clear();
    }
}
