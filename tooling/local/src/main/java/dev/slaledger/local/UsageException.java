package dev.slaledger.local;

/**
 * A command line the tool cannot run (a malformed month or instant, an output path it cannot
 * write): one line, exit code 2, raised before any engine starts.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
