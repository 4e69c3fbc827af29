package dev.slaledger.core.terms;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The default terms version, reproducing {@code reference-sla.txt}: 99.90% commitment,
 * tiers 10/25/50% at 99.00 and 95.00, cap 50%, claims after the 5th working day until
 * two months after the period, 30 days' notice. Kept as a JSON document
 * ({@code default-terms.json}) so it is data, like every later version.
 */
public final class DefaultTerms {
    private static final String RESOURCE = "default-terms.json";
    private static final TermsVersion DEFAULT = load();

    private DefaultTerms() {
    }

    public static TermsVersion version() {
        return DEFAULT;
    }

    private static TermsVersion load() {
        try (InputStream in = DefaultTerms.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return TermsParser.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
