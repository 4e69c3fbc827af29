package dev.slaledger.core.terms;

/**
 * A terms document (D5) that cannot be used. Names the offending field (a JSON path
 * such as {@code tiers[1].below}) and the value found there, so an operator can fix
 * the document without reading code.
 */
public final class TermsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String value;

    public TermsException(String field, Object value, String problem) {
        super(field + " = " + render(value) + ": " + problem);
        this.field = field;
        this.value = render(value);
    }

    public String field() {
        return field;
    }

    public String value() {
        return value;
    }

    private static String render(Object value) {
        return value == null ? "(missing)" : String.valueOf(value);
    }
}
