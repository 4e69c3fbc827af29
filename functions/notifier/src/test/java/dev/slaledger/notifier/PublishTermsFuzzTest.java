package dev.slaledger.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.core.port.TermsRepository;
import dev.slaledger.core.port.memory.InMemoryTermsRepository;
import dev.slaledger.core.terms.DefaultTerms;
import dev.slaledger.core.terms.TermsVersion;
import dev.slaledger.lambda.http.ProblemJson;
import dev.slaledger.notifier.notice.TermsPublication;
import dev.slaledger.testkit.HttpApiFuzz;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 item 3: {@code PUT /admin/terms} gets random and mutated HTTP API events (seeded: a
 * failure names its seed and iteration and replays exactly) on the in-memory ports: never a 5xx,
 * every error a problem+json with a type; the published versions stay immutable and distinct.
 */
class PublishTermsFuzzTest {
    static final int ITERATIONS = 2_500;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T09:00:00Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "seed {0}")
    @DisplayName("issue 15 item 3 fuzz: bad base64, huge bodies, wrong methods, garbage and mutated JSON, missing request context: never a 5xx on PUT /admin/terms")
    @ValueSource(longs = {20261102L, 15L, 5150L})
    void neverA5xx(long seed) {
        InMemoryTermsRepository terms = new InMemoryTermsRepository(DefaultTerms.version());
        PublishTermsHandler handler = new PublishTermsHandler(new TermsPublication(terms, v -> { }, CLOCK,
                (v, e) -> { }));
        int[] byClass = run(handler, new PublishTermsFuzzEvents(seed), ITERATIONS, "seed " + seed);
        assertThat(byClass[2]).as("some versions were published").isGreaterThan(0);
        assertThat(byClass[4]).as("most were refused").isGreaterThan(ITERATIONS / 2);
        assertDistinctVersions(terms);
    }

    static int[] run(PublishTermsHandler handler, PublishTermsFuzzEvents fuzz, int iterations, String where) {
        return HttpApiFuzz.run(e -> handler.handleRequest(e, null), fuzz::next, iterations, ProblemJson.TYPE_BASE, where);
    }

    /** Each version id is published once (versions are immutable). */
    static void assertDistinctVersions(TermsRepository terms) {
        List<TermsVersion> published = terms.published();
        assertThat(published).extracting(TermsVersion::version).doesNotHaveDuplicates();
    }
}
