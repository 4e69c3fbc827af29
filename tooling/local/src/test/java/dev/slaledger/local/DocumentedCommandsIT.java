package dev.slaledger.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 28 item 0: the shipped tool is the tested tool. Every command in a {@code sh} block of
 * README.md and docs/local.md runs here as a user runs it: {@code ./sla-local ...} through the
 * launcher (which runs {@code tooling/local/target/sla-local.jar} with the {@code lib/} the build
 * copied, the package a user gets), {@code java -jar ...} as written, each in a child process in the
 * checkout, checked for its exit code and output. A command these files show that is neither run
 * here nor named in {@link #ELSEWHERE} with the reason fails the test, so a new documented command
 * cannot go untested.
 */
class DocumentedCommandsIT {
    private static final List<String> DOCUMENTS = List.of("README.md", "docs/local.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Documented commands that do not run here, by their start, and where they are checked instead. */
    static final Map<String, String> ELSEWHERE = new LinkedHashMap<>();

    static {
        ELSEWHERE.put("./mvnw -B -ntp verify", "the README's test command: this test runs inside it (.ci/run)");
        ELSEWHERE.put("./mvnw -B -ntp -Plocalstack verify",
                "needs a Docker engine (none here); its tests are reported as skipped without one");
        ELSEWHERE.put("cd infrastructure && npx aws-cdk@", "needs AWS credentials; the README's deploy command "
                + "runs as synth, on a java-17 machine, in FreshMachineIT.cdkSynthAsWritten");
        ELSEWHERE.put("curl ", "talks to the claims API of a running demo or replay (a port it prints); "
                + "ClaimsHttpServerTest sends that request to the local HTTP API");
    }

    /** One documented command: where it was shown, and the command line (continuations joined, comment dropped). */
    record Documented(String where, String command) {
    }

    @TestFactory
    @DisplayName("issue 28.0: every command README.md and docs/local.md show runs as written from the built package")
    Stream<DynamicTest> everyDocumentedCommand() throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        List<DynamicTest> tests = new ArrayList<>();
        List<String> unaccounted = new ArrayList<>();
        for (Documented d : documented()) {
            if (!seen.add(d.command())) {
                continue; // the same command in both files runs once
            }
            if (d.command().startsWith("./sla-local ") || d.command().startsWith("java -jar tooling/local/")) {
                tests.add(DynamicTest.dynamicTest(d.command(), () -> runAndCheck(d)));
            } else if (ELSEWHERE.keySet().stream().noneMatch(d.command()::startsWith)) {
                unaccounted.add(d.where() + ": " + d.command());
            }
        }
        assertThat(unaccounted).as("documented commands neither run here nor checked elsewhere").isEmpty();
        assertThat(tests).hasSizeGreaterThanOrEqualTo(6);
        return tests.stream();
    }

    static List<Documented> documented() throws IOException {
        List<Documented> out = new ArrayList<>();
        Pattern block = Pattern.compile("(?m)^( *)```sh\\n(.*?)^ *```", Pattern.DOTALL);
        for (String doc : DOCUMENTS) {
            String text = Files.readString(Shell.ROOT.resolve(doc));
            Matcher m = block.matcher(text);
            while (m.find()) {
                int line = text.substring(0, m.start()).split("\n", -1).length;
                String body = m.group(2).replaceAll("\\\\\\n\\s*", "");
                List<String> session = new ArrayList<>();
                for (String raw : body.split("\n")) {
                    String c = raw.strip().replaceFirst("\\s+#\\s.*$", "");
                    if (c.isEmpty()) {
                        continue;
                    }
                    if (c.startsWith("cd ")) {
                        session.add(c); // a cd is part of the commands after it
                        continue;
                    }
                    session.add(c);
                    out.add(new Documented(doc + " line " + line, String.join(" && ", session)));
                    session.removeIf(s -> !s.startsWith("cd "));
                }
            }
        }
        return out;
    }

    private static void runAndCheck(Documented d) throws IOException {
        Map<String, String> env = new HashMap<>();
        Shell.Result r = Shell.bash(Shell.ROOT, env, Duration.ofMinutes(20), d.command());
        String all = r.all();
        assertThat(r.exit()).as(d.where() + ": " + d.command() + "\n" + all).isZero();
        assertThat(all).as("no stack trace, no exception class").doesNotContain("\tat ")
                .doesNotContainPattern("(?m)^\\S*(Exception|Error): ");
        assertThat(all).as("issue 28.5: no JSON log line among what a person reads")
                .doesNotContainPattern("(?m)^\\s*\\{\"");
        assertThat(all).as("the package was built by this build: nothing to rebuild")
                .doesNotContain("Building the local runtime").doesNotContain("Rebuilding the local runtime");
        for (String option : List.of("--out", "--report", "--decisions")) {
            Matcher m = Pattern.compile(Pattern.quote(option) + " (\\S+)").matcher(d.command());
            if (m.find()) {
                Path file = Shell.ROOT.resolve(m.group(1));
                assertThat(file).as(option).isNotEmptyFile();
                assertThat(all).as("the run names where " + option + " went").contains(m.group(1));
                if (!option.equals("--report")) {
                    assertThat(JSON.readTree(file.toFile()).isArray()).as(file + " is a JSON array").isTrue();
                }
            }
        }
        Matcher evidence = Pattern.compile("--evidence (\\S+)").matcher(d.command());
        if (evidence.find()) { // S9.6: one file per statement, named in the summary
            try (var files = Files.list(Shell.ROOT.resolve(evidence.group(1)))) {
                assertThat(files.filter(f -> f.toString().endsWith(".json"))).as("--evidence").isNotEmpty();
            }
            assertThat(all).as("the run names where --evidence went").contains(evidence.group(1));
        }
        if (d.command().contains("--forecast-at ")) { // S9.8
            assertThat(all).contains("liability forecast (S9.8, provider only)");
        }
        String command = d.command();
        if (command.contains(" demo")) {
            checkDemo(command, r);
        } else if (command.endsWith("--help")) {
            assertThat(r.out()).startsWith("Usage: sla-local replay").contains("--engine").contains("--events");
        } else if (command.contains("--events")) {
            JsonNode decisions = JSON.readTree(Shell.ROOT.resolve("target/replay-timeline/decisions.json").toFile());
            assertThat(decisions).hasSize(10);
            assertThat(r.out()).contains("claim decisions: 10");
        } else if (command.contains("apigw-access-log")) {
            assertThat(r.out()).as("the coverage line counts the quarantined records by reason")
                    .contains("quarantined: 2 of 12 records").contains("by reason {MISSING_ACCOUNT_ID=1, NOT_JSON=1}");
        } else {
            JsonNode statements = JSON.readTree(Shell.ROOT.resolve("target/replay/statements.json").toFile());
            assertThat(statements).hasSizeGreaterThanOrEqualTo(5);
            statements.forEach(s -> assertThat(s.has("claim")).as("--claim: every statement has its claim").isTrue());
            assertThat(Files.readString(Shell.ROOT.resolve("target/replay/report.html"))).contains("<svg");
        }
    }

    /**
     * The demo's profiles land in the tiers they were built for (S2-S6), whatever the month; with the
     * fixed month of docs/local.md, every figure the table in docs/local.md gives.
     */
    private static void checkDemo(String command, Shell.Result r) throws IOException {
        Matcher dir = Pattern.compile("--out-dir (\\S+)").matcher(command);
        Path out = Shell.ROOT.resolve(dir.find() ? dir.group(1) : "target/sla-demo");
        JsonNode statements = JSON.readTree(out.resolve("statements.json").toFile());
        Map<String, String> tiers = new LinkedHashMap<>();
        Map<String, JsonNode> byAccount = new HashMap<>();
        statements.forEach(s -> {
            tiers.put(s.get("accountId").asText(), s.get("compensationPercent").asText());
            byAccount.put(s.get("accountId").asText(), s);
        });
        assertThat(tiers).containsOnly(Map.entry("acme", "10"), Map.entry("globex", "25"),
                Map.entry("initech", "50"), Map.entry("umbrella", "0"), Map.entry("hooli", "0"),
                Map.entry("wayne", "0"), Map.entry("stark", "10"), Map.entry("tyrell", "0"));
        assertThat(byAccount.get("initech").path("claim").path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(byAccount.get("globex").path("claim").path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(byAccount.get("wayne").path("claim").path("reason").asText())
                .as("S2.4 the announced window excluded its outage").isEqualTo("SLA_MET");
        String text = r.out();
        assertThat(text).contains("claims early: 201 REFUSED TOO_EARLY").contains("a repeated claim answers 200")
                .contains("3 quarantined")
                .containsPattern("acme told it may claim [0-9.]+")
                .contains("globex credited (autoClaim filed its claim)")
                .containsPattern("initech told it may claim [0-9.]+")
                .containsPattern("notifier: 7 sent");
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg");
        if (command.contains("--month 2026-10")) {
            assertThat(byAccount.get("stark").get("days").asInt()).as("S1.2 partial period from the 17th")
                    .isEqualTo(15);
        }
    }
}
