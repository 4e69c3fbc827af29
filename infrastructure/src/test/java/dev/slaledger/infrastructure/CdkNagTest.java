package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AwsSolutions pack runs in every synth (SlaLedgerApp adds it); here its verdicts are read. */
class CdkNagTest {

    @Test
    @DisplayName("no unacknowledged error or warning (cdk-nag's or the CDK's own) in either stack")
    void noUnacknowledgedAnnotations() {
        Synth synth = Synth.get();
        for (Stack stack : List.of(synth.stacks.data(), synth.stacks.app())) {
            Annotations annotations = Annotations.fromStack(stack);
            assertThat(describe(annotations.findError("*", Match.anyValue())))
                    .as("errors in " + stack.getStackName()).isEmpty();
            assertThat(describe(annotations.findWarning("*", Match.anyValue())))
                    .as("warnings in " + stack.getStackName()).isEmpty();
        }
    }

    @Test
    @DisplayName("the AwsSolutions report of each stack: every rule compliant, not applicable, or acknowledged with a reason")
    void everyFindingCompliantOrAcknowledgedWithReason() throws IOException {
        Synth synth = Synth.get();
        for (Stack stack : List.of(synth.stacks.data(), synth.stacks.app())) {
            Path report = Path.of(Stage.of(stack).getOutdir(), "AwsSolutions-" + stack.getStackName() + "-NagReport.csv");
            List<List<String>> rows = csv(report);
            assertThat(rows.get(0)).startsWith("Rule ID", "Resource ID", "Compliance", "Exception Reason");
            List<List<String>> findings = rows.subList(1, rows.size());
            assertThat(findings).as("rules evaluated on " + stack.getStackName()).isNotEmpty();
            for (List<String> row : findings) {
                assertThat(row.get(2)).as(row.toString()).isIn("Compliant", "N/A", "Suppressed");
                if (row.get(2).equals("Suppressed")) {
                    assertThat(row.get(3)).as("reason of " + row).hasSizeGreaterThan(40);
                }
            }
        }
    }

    @Test
    @DisplayName("the rules that guard the data are evaluated and met: PITR on tables, SSL and encryption on queues")
    void dataRulesEvaluated() throws IOException {
        Synth synth = Synth.get();
        List<List<String>> data = csv(Path.of(Stage.of(synth.stacks.data()).getOutdir(),
                "AwsSolutions-" + synth.stacks.data().getStackName() + "-NagReport.csv"));
        assertThat(data).anySatisfy(r -> assertThat(r.subList(0, 3)).containsExactly("AwsSolutions-DDB3",
                r.get(1), "Compliant"));
        List<List<String>> app = csv(Path.of(Stage.of(synth.stacks.app()).getOutdir(),
                "AwsSolutions-" + synth.stacks.app().getStackName() + "-NagReport.csv"));
        for (String rule : List.of("AwsSolutions-SQS2", "AwsSolutions-SQS4", "AwsSolutions-APIG4", "AwsSolutions-IAM5")) {
            assertThat(app).as(rule).anySatisfy(r -> assertThat(r.get(0)).isEqualTo(rule));
        }
    }

    private static List<String> describe(List<SynthesisMessage> messages) {
        return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
    }

    /** RFC 4180 CSV (quoted fields, doubled quotes, commas and newlines inside quotes). */
    static List<List<String>> csv(Path file) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            List<String> row = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            int c;
            while ((c = in.read()) != -1) {
                char ch = (char) c;
                if (quoted) {
                    if (ch == '"') {
                        in.mark(1);
                        int next = in.read();
                        if (next == '"') {
                            field.append('"');
                        } else {
                            quoted = false;
                            if (next != -1) {
                                in.reset();
                            }
                        }
                    } else {
                        field.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    row.add(field.toString());
                    field.setLength(0);
                } else if (ch == '\n') {
                    row.add(field.toString());
                    field.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else if (ch != '\r') {
                    field.append(ch);
                }
            }
            if (field.length() > 0 || !row.isEmpty()) {
                row.add(field.toString());
                rows.add(row);
            }
        }
        return rows;
    }
}
