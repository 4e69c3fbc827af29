package dev.slaledger.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every rule of SLA-SEMANTICS.md that needs no I/O is named by at least one test's display
 * name (or parameterized name) in this module, so a reader can go from a rule to its proof.
 */
class RuleCoverageTest {
    static final List<String> PURE_RULES = List.of(
            "S1.1", "S1.2", "S1.3", "S1.4",
            "S2.1", "S2.2", "S2.3", "S2.4", "S2.5",
            "S3.1", "S3.2", "S3.3",
            "S4.1", "S4.2", "S4.3", "S4.4",
            "S5.1", "S5.2", "S5.3", "S5.4",
            "S6.1", "S6.3");

    private static final Pattern NAMES = Pattern.compile("@(?:DisplayName|ParameterizedTest|Label)\\((?:name = )?\"([^\"]*)\"");

    @Test
    @DisplayName("every rule id S1.1-S6.3 without I/O appears in a test's display name")
    void everyRuleNamed() throws IOException {
        StringBuilder names = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (f.endsWith("RuleCoverageTest.java")) {
                    continue;
                }
                Matcher m = NAMES.matcher(Files.readString(f));
                while (m.find()) {
                    names.append(m.group(1)).append('\n');
                }
            }
        }
        for (String rule : PURE_RULES) {
            assertThat(names.toString()).as("a test named with %s", rule).containsPattern(Pattern.quote(rule) + "\\b");
        }
    }
}
