package dev.slaledger.local;

/** An input file the tool cannot use; the message names the file and the entry. Exit code 1. */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }
}
