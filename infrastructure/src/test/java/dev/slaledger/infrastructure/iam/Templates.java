package dev.slaledger.infrastructure.iam;

import dev.slaledger.infrastructure.iam.PolicyEvaluator.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The synthesized templates read the way IAM sees them: every function's role policies with their
 * {@code Resource} values resolved to concrete ARNs (a resource's physical name is its logical id,
 * the account {@value #ACCOUNT}, the region {@value #REGION}; cross-stack references followed to the
 * data stack's outputs), its environment, and what Lambda itself does with the role (event source
 * mappings, on-failure destinations, the log group).
 */
final class Templates {
    static final String ACCOUNT = "000000000000";
    static final String REGION = "eu-west-1";

    /** One deployed function. */
    record Function(String logicalId, String handlerClass, String roleId, Map<String, Object> environment,
            List<Statement> statements) {
        /** The logical ids the environment variable refers to (a table, queue, bus, configuration set). */
        String envLiteral(String name) {
            Object v = environment.get(name);
            return v instanceof String s ? s : null;
        }
    }

    private final Map<String, Map<String, Object>> stacks = new LinkedHashMap<>();

    /** @param stacks stack name -> its template (the {@code toJSON()} of each) */
    Templates(Map<String, Map<String, Object>> stacks) {
        this.stacks.putAll(stacks);
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources(String stack) {
        return (Map<String, Map<String, Object>>) stacks.get(stack).getOrDefault("Resources", Map.of());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
    }

    /** Every function of a stack, with its role's statements resolved. */
    @SuppressWarnings("unchecked")
    List<Function> functions(String stack) {
        List<Function> out = new ArrayList<>();
        Map<String, Map<String, Object>> resources = resources(stack);
        for (Map.Entry<String, Map<String, Object>> e : resources.entrySet()) {
            if (!"AWS::Lambda::Function".equals(e.getValue().get("Type"))) {
                continue;
            }
            Map<String, Object> p = properties(e.getValue());
            String handler = String.valueOf(p.get("Handler"));
            String roleId = (String) ((List<Object>) ((Map<String, Object>) p.get("Role")).get("Fn::GetAtt")).get(0);
            Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) p.getOrDefault("Environment", Map.of()))
                    .getOrDefault("Variables", Map.of());
            out.add(new Function(e.getKey(), handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler,
                    roleId, env, statements(stack, roleId)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private List<Statement> statements(String stack, String roleId) {
        List<Object> documents = new ArrayList<>();
        Map<String, Map<String, Object>> resources = resources(stack);
        for (Map<String, Object> r : resources.values()) {
            if ("AWS::IAM::Policy".equals(r.get("Type"))) {
                List<Object> roles = (List<Object>) properties(r).getOrDefault("Roles", List.of());
                if (roles.contains(Map.of("Ref", roleId))) {
                    documents.add(properties(r).get("PolicyDocument"));
                }
            }
        }
        Map<String, Object> role = properties(resources.get(roleId));
        for (Object inline : (List<Object>) role.getOrDefault("Policies", List.of())) {
            documents.add(((Map<String, Object>) inline).get("PolicyDocument"));
        }
        if (role.containsKey("ManagedPolicyArns")) {
            throw new IllegalStateException("role " + roleId + " has managed policies: read them here before trusting this test");
        }
        List<Statement> out = new ArrayList<>();
        for (Object document : documents) {
            for (Object s : list(((Map<String, Object>) document).get("Statement"))) {
                Map<String, Object> statement = (Map<String, Object>) s;
                for (String unsupported : List.of("NotAction", "NotResource", "Principal", "NotPrincipal")) {
                    if (statement.containsKey(unsupported)) {
                        throw new IllegalStateException(roleId + ": " + unsupported + " is not evaluated here");
                    }
                }
                List<String> actions = list(statement.get("Action")).stream().map(String::valueOf).toList();
                List<String> arns = list(statement.get("Resource")).stream().map(v -> resolve(stack, v)).toList();
                Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
                ((Map<String, Object>) statement.getOrDefault("Condition", Map.of())).forEach((op, keys) -> {
                    Map<String, List<String>> byKey = new LinkedHashMap<>();
                    ((Map<String, Object>) keys).forEach((k, v) -> byKey.put(k,
                            list(v).stream().map(x -> resolve(stack, x)).toList()));
                    conditions.put(op, byKey);
                });
                out.add(new Statement((String) statement.get("Effect"), actions, arns, conditions));
            }
        }
        return out;
    }

    static List<Object> list(Object value) {
        if (value instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        return value == null ? List.of() : List.of(value);
    }

    /** A template value as the string CloudFormation would make of it here. */
    @SuppressWarnings("unchecked")
    String resolve(String stack, Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (!(value instanceof Map<?, ?> m) || m.size() != 1) {
            throw new IllegalStateException("cannot resolve " + value);
        }
        Map.Entry<String, Object> fn = ((Map<String, Object>) m).entrySet().iterator().next();
        switch (fn.getKey()) {
            case "Ref" -> {
                String ref = (String) fn.getValue();
                return switch (ref) {
                    case "AWS::Partition" -> "aws";
                    case "AWS::Region" -> REGION;
                    case "AWS::AccountId" -> ACCOUNT;
                    case "AWS::URLSuffix" -> "amazonaws.com";
                    case "AWS::StackName" -> stack;
                    default -> ref; // a resource's physical name: its logical id here
                };
            }
            case "Fn::GetAtt" -> {
                List<Object> args = (List<Object>) fn.getValue();
                String id = (String) args.get(0);
                if (!"Arn".equals(args.get(1))) {
                    return id + "." + args.get(1);
                }
                return arn(stack, id);
            }
            case "Fn::Join" -> {
                List<Object> args = (List<Object>) fn.getValue();
                StringBuilder b = new StringBuilder();
                List<Object> parts = (List<Object>) args.get(1);
                for (int i = 0; i < parts.size(); i++) {
                    if (i > 0) {
                        b.append(args.get(0));
                    }
                    b.append(resolve(stack, parts.get(i)));
                }
                return b.toString();
            }
            case "Fn::GetStackOutput" -> {
                Map<String, Object> args = (Map<String, Object>) fn.getValue();
                String other = (String) args.get("StackName");
                return resolve(other, output(other, (String) args.get("OutputName")));
            }
            case "Fn::ImportValue" -> {
                String name = resolve(stack, fn.getValue());
                for (String other : stacks.keySet()) {
                    Map<String, Object> outputs = (Map<String, Object>) stacks.get(other).getOrDefault("Outputs", Map.of());
                    for (Object o : outputs.values()) {
                        Map<String, Object> out = (Map<String, Object>) o;
                        Object export = out.get("Export");
                        if (export != null && name.equals(resolve(other, ((Map<String, Object>) export).get("Name")))) {
                            return resolve(other, out.get("Value"));
                        }
                    }
                }
                throw new IllegalStateException("no export " + name);
            }
            default -> throw new IllegalStateException("cannot resolve " + fn.getKey() + " in " + value);
        }
    }

    @SuppressWarnings("unchecked")
    private Object output(String stack, String name) {
        Map<String, Object> outputs = (Map<String, Object>) stacks.get(stack).getOrDefault("Outputs", Map.of());
        Map<String, Object> out = (Map<String, Object>) outputs.get(name);
        if (out == null) {
            throw new IllegalStateException(stack + " has no output " + name);
        }
        return out.get("Value");
    }

    /** The ARN of a resource of a stack, its physical name being its logical id. */
    String arn(String stack, String id) {
        Map<String, Object> resource = resources(stack).get(id);
        String type = resource == null ? "?" : String.valueOf(resource.get("Type"));
        String prefix = ":" + REGION + ":" + ACCOUNT + ":";
        return switch (type) {
            case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb" + prefix + "table/" + id;
            case "AWS::SQS::Queue" -> "arn:aws:sqs" + prefix + id;
            case "AWS::Events::EventBus" -> "arn:aws:events" + prefix + "event-bus/" + id;
            case "AWS::Logs::LogGroup" -> "arn:aws:logs" + prefix + "log-group:" + id + ":*";
            case "AWS::Kinesis::Stream" -> "arn:aws:kinesis" + prefix + "stream/" + id;
            case "AWS::SNS::Topic" -> "arn:aws:sns" + prefix + id;
            case "AWS::Lambda::Function" -> "arn:aws:lambda" + prefix + "function:" + id;
            default -> "arn:unresolved:" + type + ":" + id;
        };
    }

    /** The logical id a template value refers to (through Ref, GetAtt and cross-stack outputs), if any. */
    @SuppressWarnings("unchecked")
    Optional<Reference> reference(String stack, Object value) {
        if (!(value instanceof Map<?, ?> m) || m.size() != 1) {
            return Optional.empty();
        }
        Map.Entry<String, Object> fn = ((Map<String, Object>) m).entrySet().iterator().next();
        return switch (fn.getKey()) {
            case "Ref" -> ((String) fn.getValue()).startsWith("AWS::") ? Optional.empty()
                    : Optional.of(new Reference(stack, (String) fn.getValue()));
            case "Fn::GetAtt" -> Optional.of(new Reference(stack, (String) ((List<Object>) fn.getValue()).get(0)));
            case "Fn::GetStackOutput" -> {
                Map<String, Object> args = (Map<String, Object>) fn.getValue();
                String other = (String) args.get("StackName");
                yield reference(other, output(other, (String) args.get("OutputName")));
            }
            default -> Optional.empty();
        };
    }

    /** A resource of a stack. */
    record Reference(String stack, String logicalId) {
    }

    String type(Reference r) {
        Map<String, Object> resource = resources(r.stack()).get(r.logicalId());
        return resource == null ? "?" : String.valueOf(resource.get("Type"));
    }

    /** The resources of a type the function's environment refers to. */
    Set<Reference> environmentReferences(String stack, Function f, String type) {
        Set<Reference> out = new LinkedHashSet<>();
        for (Object v : f.environment().values()) {
            reference(stack, v).filter(r -> type.equals(type(r))).ifPresent(out::add);
        }
        return out;
    }

    /** Every stack's name. */
    Set<String> stackNames() {
        return stacks.keySet();
    }
}
