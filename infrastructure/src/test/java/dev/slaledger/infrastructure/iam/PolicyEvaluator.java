package dev.slaledger.infrastructure.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A small IAM identity-policy evaluator for the IAM-from-evidence test (issue 31 item 1): enough of
 * the policy language to decide the requests our functions make, and a loud failure for anything
 * else, so a policy it cannot read is never passed by accident.
 *
 * <ul>
 *   <li>Deny by default: a request no statement allows is denied ({@link Decision#IMPLICIT_DENY}).</li>
 *   <li>An explicit {@code Deny} that matches wins over any {@code Allow} ({@link Decision#EXPLICIT_DENY}).</li>
 *   <li>{@code Action} and {@code Resource} match with IAM's wildcards ({@code *} any run of
 *       characters, {@code ?} one), actions case-insensitively, resources case-sensitively.</li>
 *   <li>Conditions: {@code StringEquals}, {@code StringLike} (single-valued keys; absent key: no match),
 *       and their {@code ForAllValues:} (every value of the request's key matches one of the policy's;
 *       true when the request has no value, as in IAM) and {@code ForAnyValue:} (some value matches)
 *       forms. Several operators or keys in one block must all hold.</li>
 * </ul>
 * {@code NotAction}, {@code NotResource}, {@code Principal} and any other operator throw.
 */
public final class PolicyEvaluator {
    /** The outcome of one request. */
    public enum Decision { ALLOW, IMPLICIT_DENY, EXPLICIT_DENY }

    /**
     * One request: the action ({@code dynamodb:GetItem}), the resource ARN, and the request's
     * condition keys with their values ({@code dynamodb:LeadingKeys} -> the partition key values).
     */
    public record Request(String action, String resource, Map<String, List<String>> context) {
        public Request(String action, String resource) {
            this(action, resource, Map.of());
        }
    }

    /** One policy statement, as the template's PolicyDocument holds it (resources already resolved). */
    public record Statement(String effect, List<String> actions, List<String> resources,
            Map<String, Map<String, List<String>>> conditions) {
        public Statement {
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                throw new IllegalArgumentException("Effect " + effect);
            }
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
            conditions = Map.copyOf(conditions);
        }

        public static Statement allow(List<String> actions, List<String> resources) {
            return new Statement("Allow", actions, resources, Map.of());
        }

        boolean matches(Request request) {
            return actions.stream().anyMatch(a -> wildcard(a, request.action(), true))
                    && resources.stream().anyMatch(r -> wildcard(r, request.resource(), false))
                    && conditionsHold(request);
        }

        private boolean conditionsHold(Request request) {
            for (Map.Entry<String, Map<String, List<String>>> operator : conditions.entrySet()) {
                for (Map.Entry<String, List<String>> key : operator.getValue().entrySet()) {
                    List<String> values = request.context().getOrDefault(key.getKey(), List.of());
                    if (!condition(operator.getKey(), values, key.getValue())) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private final List<Statement> statements;

    public PolicyEvaluator(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    public Decision decide(Request request) {
        boolean allowed = false;
        for (Statement s : statements) {
            if (s.matches(request)) {
                if (s.effect().equals("Deny")) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /** The statements that allow this request (for the report of which grant a call uses). */
    public List<Statement> allowing(Request request) {
        List<Statement> out = new ArrayList<>();
        for (Statement s : statements) {
            if (s.effect().equals("Allow") && s.matches(request)) {
                out.add(s);
            }
        }
        return out;
    }

    static boolean condition(String operator, List<String> requestValues, List<String> policyValues) {
        String set = null;
        String op = operator;
        int colon = operator.indexOf(':');
        if (colon > 0) {
            set = operator.substring(0, colon);
            op = operator.substring(colon + 1);
        }
        boolean like = switch (op) {
            case "StringLike" -> true;
            case "StringEquals" -> false;
            default -> throw new IllegalArgumentException("condition operator " + operator + " is not evaluated here");
        };
        if (set == null) {
            // a single-valued key: absent means the condition does not hold
            return requestValues.size() == 1 && policyValues.stream().anyMatch(p -> stringMatch(like, p, requestValues.get(0)));
        }
        return switch (set) {
            case "ForAllValues" -> requestValues.stream()
                    .allMatch(v -> policyValues.stream().anyMatch(p -> stringMatch(like, p, v)));
            case "ForAnyValue" -> requestValues.stream()
                    .anyMatch(v -> policyValues.stream().anyMatch(p -> stringMatch(like, p, v)));
            default -> throw new IllegalArgumentException("condition set operator " + set + " is not evaluated here");
        };
    }

    private static boolean stringMatch(boolean like, String pattern, String value) {
        return like ? wildcard(pattern, value, false) : pattern.equals(value);
    }

    /** IAM's wildcard match: {@code *} any run (also across {@code :} and {@code /}), {@code ?} one character. */
    static boolean wildcard(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.DOTALL : Pattern.DOTALL)
                .matcher(value).matches();
    }
}
