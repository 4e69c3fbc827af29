package dev.slaledger.core.port;

import dev.slaledger.core.terms.TermsVersion;

/** Starts the notifier right after a publication, rather than at its next daily run. */
public interface NotifierTrigger {
    void termsPublished(TermsVersion version);
}
