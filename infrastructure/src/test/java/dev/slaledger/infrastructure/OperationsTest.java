package dev.slaledger.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** Issue 31 items 4 and 5: the stage's dashboard and the runbook every alarm points to. */
class OperationsTest {
    private static final Pattern RUNBOOK = Pattern.compile("Runbook: docs/operations\\.md#([a-z0-9-]+)");

    static Set<String> anchors() throws IOException {
        Path doc = Path.of(System.getProperty(FunctionPackages.ROOT_PROPERTY, ".."), "docs", "operations.md");
        Set<String> anchors = new TreeSet<>();
        for (String line : Files.readAllLines(doc)) {
            if (line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    @DisplayName("issue 31 item 5: every alarm's description points to its section of docs/operations.md, and the section exists")
    void everyAlarmHasARunbookSection() throws IOException {
        Set<String> anchors = anchors();
        List<String> missing = new ArrayList<>();
        Map<String, Map<String, Object>> alarms = Synth.get().app.findResources("AWS::CloudWatch::Alarm");
        assertThat(alarms).isNotEmpty();
        for (Map.Entry<String, Map<String, Object>> alarm : alarms.entrySet()) {
            String description = String.valueOf(DataStackTest.properties(alarm.getValue()).get("AlarmDescription"));
            Matcher m = RUNBOOK.matcher(description);
            if (!m.find()) {
                missing.add(alarm.getKey() + ": no 'Runbook: docs/operations.md#...' in " + description);
            } else if (!anchors.contains(m.group(1))) {
                missing.add(alarm.getKey() + ": docs/operations.md has no section #" + m.group(1));
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    @DisplayName("issue 31 item 5: the runbook section of an alarm is named by the alarm's id, so each alarm has its own")
    void sectionsAreNamedByAlarmId() {
        for (var alarm : Synth.get().stacks.app().monitoring().alarms()) {
            String id = alarm.getNode().getId();
            String description = String.valueOf(((software.amazon.awscdk.services.cloudwatch.CfnAlarm) alarm.getNode().getDefaultChild()).getAlarmDescription());
            assertThat(description).as(id).endsWith(Monitoring.runbook(id));
        }
    }

    @Test
    @DisplayName("issue 31 item 4: one dashboard per stage, SlaLedger-<stage>, with the ingest, month-end, claims, notices, outbox and cost rows and their metrics")
    void dashboard() {
        Template app = Synth.get().app;
        Map<String, Map<String, Object>> dashboards = app.findResources("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        Map<String, Object> p = DataStackTest.properties(dashboards.values().iterator().next());
        assertThat(p.get("DashboardName")).isEqualTo("SlaLedger-" + Synth.PARAMETERS.stage());
        String body = flatten(p.get("DashboardBody"));
        for (String row : OperationsDashboard.ROWS) {
            assertThat(body).contains("## " + row);
        }
        for (String metric : List.of("IteratorAge", "IteratorAgeMilliseconds", "RecordsIn", "Quarantined",
                "AggregateWrites", "Keys", "NumberOfMessagesSent", "NumberOfMessagesDeleted",
                "ApproximateNumberOfMessagesVisible", "StatementFailures", "4xx", "5xx", "p99", "\"AWS/SES\"",
                "SesSendRefused", "ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits")) {
            assertThat(body).as(metric).contains(metric);
        }
        assertThat(body).as("accounts = messages x accounts per message").contains(" * " + AppStack.WORK_BATCH_SIZE);
    }

    @SuppressWarnings("unchecked")
    private static String flatten(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Map<?, ?> m && m.containsKey("Fn::Join")) {
            List<Object> args = (List<Object>) m.get("Fn::Join");
            StringBuilder b = new StringBuilder();
            for (Object part : (List<Object>) args.get(1)) {
                b.append(flatten(part));
            }
            return b.toString();
        }
        return "<" + value + ">";
    }
}
