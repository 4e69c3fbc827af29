package dev.slaledger.lambda;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * The one reader of a function's environment (the variables the infrastructure sets): one error
 * message for a missing variable, whichever function reads it. Names are in {@link EnvNames}.
 */
public final class Env {
    private final Map<String, String> vars;

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(Objects.requireNonNull(vars));
    }

    /** The process environment (Lambda's). */
    public static Env system() {
        return new Env(System.getenv());
    }

    /** The value of {@code name}; fails with "environment variable NAME is not set" when absent or blank. */
    public String required(String name) {
        return optional(name).orElseThrow(() -> new IllegalStateException("environment variable " + name
                + " is not set"));
    }

    /** The trimmed value of {@code name}, empty when absent or blank. */
    public Optional<String> optional(String name) {
        String value = vars.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** An integer variable with a default; a value that is not an integer fails naming the variable. */
    public int integer(String name, int defaultValue) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " is not an integer: " + value.get());
        }
    }

    /** {@code AWS_REGION}, which Lambda sets. */
    public Region region() {
        return Region.of(required(EnvNames.AWS_REGION));
    }
}
