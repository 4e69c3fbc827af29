package dev.slaledger.core.port.memory;

import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.terms.TermsVersion;
import java.util.ArrayList;
import java.util.List;

/** Published terms in memory, in publication order. */
public final class InMemoryTermsRepository implements TermsRepository {
    private final List<TermsVersion> versions = new ArrayList<>();

    public InMemoryTermsRepository(TermsVersion original) {
        versions.add(original);
    }

    @Override
    public synchronized List<TermsVersion> published() {
        return List.copyOf(versions);
    }

    @Override
    public synchronized boolean publish(TermsVersion version) {
        if (versions.stream().anyMatch(v -> v.version().equals(version.version()))) {
            return false;
        }
        versions.add(version);
        return true;
    }
}
