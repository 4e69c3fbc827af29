package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 31 item 8: the documented CDK commands. With a cdk.json in its working directory the CLI
 * synthesizes the app even for `bootstrap aws://ACCOUNT/REGION`, and the app stops without the
 * stage's parameters; so every documented bootstrap names its environment and runs outside
 * infrastructure/, and every documented deploy or synth passes every required parameter.
 */
class DeployDocsTest {
    private static final List<String> REQUIRED = List.of("stage", "jwtIssuer", "jwtAudience", "sesSender");
    private static final Pattern CDK = Pattern.compile("aws-cdk@[0-9.]+ (bootstrap|deploy|synth)((?:\\\\\\n|[^\\n])*)");

    private static List<Path> docs() {
        Path root = Path.of(System.getProperty(FunctionPackages.ROOT_PROPERTY, ".."));
        return List.of(root.resolve("README.md"), root.resolve("docs/infrastructure.md"));
    }

    @Test
    @DisplayName("issue 31 item 8: every documented bootstrap names aws://ACCOUNT/REGION and is not run inside infrastructure/")
    void bootstrapNamesItsEnvironment() throws IOException {
        List<String> bad = new ArrayList<>();
        int found = 0;
        for (Path doc : docs()) {
            String text = Files.readString(doc);
            Matcher m = CDK.matcher(text);
            while (m.find()) {
                if (!m.group(1).equals("bootstrap")) {
                    continue;
                }
                found++;
                String before = text.substring(Math.max(0, m.start() - 200), m.start());
                String line = before.substring(before.lastIndexOf('\n') + 1);
                if (!m.group(2).contains("aws://") || line.contains("cd infrastructure")) {
                    bad.add(doc.getFileName() + ": " + line + m.group());
                }
            }
        }
        assertThat(found).isGreaterThanOrEqualTo(2);
        assertThat(bad).isEmpty();
    }

    @Test
    @DisplayName("every documented deploy passes every required parameter (the synth it runs would stop otherwise)")
    void deployPassesTheRequiredParameters() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher m = CDK.matcher(Files.readString(doc));
            while (m.find()) {
                if (m.group(1).equals("deploy") && !m.group(2).contains("-c ...")) {
                    for (String p : REQUIRED) {
                        if (!m.group(2).contains("-c " + p + "=")) {
                            bad.add(doc.getFileName() + ": deploy without " + p + ": " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(bad).isEmpty();
    }
}
