package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slaledger.lambda.EnvNames;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 29 item 2: every environment variable name in one place. The CDK app compiles
 * {@link EnvNames} from the functions' own source file (adapters/lambda-support/src/definitions/java);
 * every variable it sets on a function is one of those names, so a function never waits for a
 * variable spelled otherwise.
 */
class EnvNamesTest {

    @Test
    @DisplayName("every variable the app sets on a function is a name of EnvNames, the functions' own constants")
    @SuppressWarnings("unchecked")
    void everyVariableIsAnEnvName() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field f : EnvNames.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                names.add((String) f.get(null));
            }
        }
        Map<String, Set<String>> setByFunction = new TreeMap<>();
        Synth.get().app.findResources("AWS::Lambda::Function").forEach((id, resource) -> {
            Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) resource).get("Properties");
            Map<String, Object> environment = (Map<String, Object>) properties.get("Environment");
            if (environment != null && String.valueOf(properties.get("Handler")).startsWith("dev.slaledger.")) {
                setByFunction.put(id, ((Map<String, Object>) environment.get("Variables")).keySet());
            }
        });

        assertThat(setByFunction).hasSizeGreaterThanOrEqualTo(10);
        setByFunction.forEach((function, variables) -> assertThat(names).as(function).containsAll(variables));
        assertThat(names).contains("LEDGER_TABLE", "WORK_QUEUE_URL", "ACCESS_LOG_ACCOUNT_SOURCE");
    }
}
