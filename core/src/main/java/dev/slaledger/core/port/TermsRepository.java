package dev.slaledger.core.port;

import dev.slaledger.core.terms.TermsVersion;
import java.util.List;
import java.util.Optional;

/** Published terms versions (D5), in publication order; the first is the original terms. */
public interface TermsRepository {
    List<TermsVersion> published();

    default Optional<TermsVersion> current() {
        List<TermsVersion> all = published();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Stores a version checked with {@code NoticeRules#checkPublication}; false if the id exists. */
    boolean publish(TermsVersion version);
}
